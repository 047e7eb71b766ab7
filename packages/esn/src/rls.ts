/**
 * Online readout by recursive least squares (RLS), the learning rule of FORCE (Sussillo &
 * Abbott 2009). With P(0) = I/α and forgetting factor μ ≤ 1, for each extended state z and
 * target y:
 *   k = P z / (μ + zᵀ P z),   e = W z − y (the a-priori error),
 *   W ← W − e kᵀ,             P ← (P − k (P z)ᵀ) / μ.
 * With μ = 1 and P(0) = I/α, W after T steps equals the ridge solution with λ = α on the same
 * data (the bias penalised too), which the tests check.
 */
import type { FloatArray } from './csr.js';
import { EsnShapeError, checkPositiveInteger, checkRange } from './errors.js';

export interface RlsOptions {
  /** α > 0: P(0) = I/α, the initial regularisation (default 1). */
  alpha?: number;
  /** Forgetting factor μ in (0, 1] (default 1: no forgetting). */
  forgetting?: number;
}

export class RlsReadout {
  readonly width: number; // D
  readonly outputs: number; // O
  readonly forgetting: number;
  readonly weights: Float64Array; // [O, D]
  readonly P: Float64Array; // [D, D] inverse correlation estimate
  private readonly pz: Float64Array; // [D]
  private readonly error: Float64Array; // [O]

  constructor(width: number, outputs: number, options: RlsOptions = {}, initial?: ArrayLike<number>) {
    this.width = checkPositiveInteger('RlsReadout', 'width', width);
    this.outputs = checkPositiveInteger('RlsReadout', 'outputs', outputs);
    const alpha = checkRange('RlsReadout', 'alpha', options.alpha ?? 1, 0, Infinity, true, true);
    this.forgetting = checkRange('RlsReadout', 'forgetting', options.forgetting ?? 1, 0, 1, true, false);
    this.weights = new Float64Array(outputs * width);
    if (initial !== undefined) {
      if (initial.length !== outputs * width) throw new EsnShapeError(`RlsReadout: initial weights have ${initial.length} values, expected [${outputs}, ${width}]`);
      this.weights.set(initial);
    }
    this.P = new Float64Array(width * width);
    for (let i = 0; i < width; i++) this.P[i * width + i] = 1 / alpha;
    this.pz = new Float64Array(width);
    this.error = new Float64Array(outputs);
  }

  /** W z for one extended state z [D] (offset `zOff` in `z`), written to out [O]. */
  predict(z: FloatArray, zOff: number, out: Float64Array): void {
    const d = this.width;
    for (let o = 0; o < this.outputs; o++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += this.weights[o * d + k] * z[zOff + k];
      out[o] = s;
    }
  }

  /**
   * One RLS step on z [D] (at `zOff`) and target y [O] (at `yOff`). Writes the a-priori output
   * W z into `prior` [O] and returns the squared a-priori error summed over outputs.
   */
  update(z: FloatArray, zOff: number, y: ArrayLike<number>, yOff: number, prior: Float64Array): number {
    const d = this.width;
    const P = this.P;
    const pz = this.pz;
    let zpz = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) s += P[row + j] * z[zOff + j];
      pz[i] = s;
      zpz += z[zOff + i] * s;
    }
    const denom = this.forgetting + zpz;
    this.predict(z, zOff, prior);
    let sq = 0;
    for (let o = 0; o < this.outputs; o++) {
      this.error[o] = prior[o] - y[yOff + o];
      sq += this.error[o] * this.error[o];
    }
    for (let o = 0; o < this.outputs; o++) {
      const e = this.error[o] / denom; // e kᵀ = e (P z)ᵀ / denom
      const w = o * d;
      for (let k = 0; k < d; k++) this.weights[w + k] -= e * pz[k];
    }
    const inv = 1 / this.forgetting;
    for (let i = 0; i < d; i++) {
      const ki = pz[i] / denom;
      const row = i * d;
      for (let j = 0; j < d; j++) P[row + j] = (P[row + j] - ki * pz[j]) * inv;
    }
    return sq;
  }
}
