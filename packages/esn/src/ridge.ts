/**
 * Ridge (Tikhonov) regression by accumulated normal equations: G = Σ xᵀx and C = Σ xᵀy are
 * summed block by block (so the number of rows T is not limited by memory), then
 * (G + λ R) W = C is solved by Cholesky. R is the identity, except that by default the bias
 * coefficient (column `biasIndex` of the features) is not penalised: shrinking the intercept
 * would bias predictions of targets with a non-zero mean, and leaving it free makes the fit
 * invariant to a constant shift of the targets. `regularizeBias: true` penalises it too (the
 * convention of ReservoirPy and of the plain formula W = Y Xᵀ (X Xᵀ + λ I)⁻¹).
 */
import { EsnShapeError, NotFittedError, SingularSystemError, checkRange } from './errors.js';
import type { FloatArray } from './csr.js';
import { accumulateGram } from './kernels.js';
import { choleskyInPlace, choleskySolveInPlace } from './linalg/cholesky.js';

export interface RidgeSolveOptions {
  /** λ ≥ 0 (default 1e-8). */
  ridge?: number;
  /** Penalise the bias coefficient as well (default false). */
  regularizeBias?: boolean;
  /** Feature index of the constant-1 column (default 0); −1 when there is none. */
  biasIndex?: number;
}

export class RidgeAccumulator {
  readonly width: number; // D
  readonly outputs: number; // O
  readonly gram: Float64Array; // [D, D] upper triangle accumulated
  readonly xty: Float64Array; // [D, O]
  rows = 0;

  constructor(width: number, outputs: number) {
    this.width = width;
    this.outputs = outputs;
    this.gram = new Float64Array(width * width);
    this.xty = new Float64Array(width * outputs);
  }

  /** Adds `rows` rows: X [rows, D], Y [rows, O]. */
  add(X: FloatArray, Y: FloatArray, rows: number): void {
    if (X.length < rows * this.width) {
      throw new EsnShapeError(`RidgeAccumulator.add: X has ${X.length} values, expected rows*width = ${rows}*${this.width}`);
    }
    if (Y.length < rows * this.outputs) {
      throw new EsnShapeError(`RidgeAccumulator.add: Y has ${Y.length} values, expected rows*outputs = ${rows}*${this.outputs}`);
    }
    accumulateGram({ rows, width: this.width, outputs: this.outputs, X, Y, gram: this.gram, xty: this.xty });
    this.rows += rows;
  }

  reset(): void {
    this.gram.fill(0);
    this.xty.fill(0);
    this.rows = 0;
  }

  /** Readout weights W [O, D] minimising ‖X Wᵀ − Y‖² + λ ‖R Wᵀ‖². */
  solve(options: RidgeSolveOptions = {}): Float64Array {
    const ridge = checkRange('RidgeAccumulator.solve', 'ridge', options.ridge ?? 1e-8, 0, Infinity, false, true);
    const biasIndex = options.biasIndex ?? 0;
    const d = this.width;
    const no = this.outputs;
    if (this.rows === 0) throw new NotFittedError('RidgeAccumulator.solve: no rows were accumulated; call add() with training data first');
    const a = new Float64Array(d * d); // [D, D] symmetric G + λR, then its Cholesky factor
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = this.gram[i * d + j];
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
      if (i !== biasIndex || options.regularizeBias) a[i * d + i] += ridge;
    }
    const failure = choleskyInPlace(a, d);
    if (failure !== null) {
      throw new SingularSystemError(
        `RidgeAccumulator.solve: the normal equations (Xᵀ X + λ I, ${d}x${d}, ${this.rows} rows, λ = ${ridge}) are singular or ` +
          `not positive definite (pivot ${failure.pivot.toExponential(3)} at feature ${failure.index}): some features are ` +
          `constant or linearly dependent${this.rows < d ? `, and there are fewer rows than features` : ''}. ` +
          `Use a larger ridge (e.g. ${suggestRidge(this.gram, d)}), more training data, or remove the dependent features.`,
      );
    }
    const sol = Float64Array.from(this.xty); // [D, O]
    choleskySolveInPlace(a, d, sol, no);
    const w = new Float64Array(no * d); // [O, D]
    for (let o = 0; o < no; o++) for (let i = 0; i < d; i++) w[o * d + i] = sol[i * no + o];
    return w;
  }
}

/** A ridge large enough to make the system well conditioned: 1e-8 of the mean diagonal of G. */
function suggestRidge(gram: Float64Array, d: number): string {
  let tr = 0;
  for (let i = 0; i < d; i++) tr += gram[i * d + i];
  const v = Math.max((1e-8 * tr) / d, 1e-10);
  return v.toExponential(0);
}
