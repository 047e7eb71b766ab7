/**
 * Ridge (Tikhonov) regression by accumulated normal equations: G = Σ xᵀx and C = Σ xᵀy are
 * summed block by block (so the number of rows T is not limited by memory), then
 * (G + λ R) W = C is solved by Cholesky. R is the identity, except that by default the bias
 * coefficient (column `biasIndex` of the features) is not penalised: shrinking the intercept
 * would bias predictions of targets with a non-zero mean, and leaving it free makes the fit
 * invariant to a constant shift of the targets. `regularizeBias: true` penalises it too (the
 * convention of ReservoirPy and of the plain formula W = Y Xᵀ (X Xᵀ + λ I)⁻¹).
 *
 * Accuracy: reservoir states usually have a large mean and small fluctuations, so Σ xᵀx is
 * dominated by the mean and its small eigenvalues drown in rounding. The accumulator therefore
 * subtracts a fixed shift c (the mean of the first block) from every non-bias feature before
 * accumulating, i.e. it accumulates the Gram matrix of [1; x − c]. Because the bias is a
 * feature, this is an exact change of variables: with an unpenalised bias the solution for
 * [1; x − c] is converted back (w₀ ← w₀ − w·c); with a penalised bias the Gram matrix of
 * [1; x] is rebuilt from the shifted sums (additions only, no cancellation) and solved.
 */
import { EsnShapeError, NotFittedError, SingularSystemError, checkRange } from './errors.js';
import type { FloatArray } from './csr.js';
import { accumulateGram, choleskySolve } from './kernels.js';

export interface RidgeSolveOptions {
  /** λ ≥ 0 (default 1e-8). */
  ridge?: number;
  /** Penalise the bias coefficient as well (default false). */
  regularizeBias?: boolean;
}

export class RidgeAccumulator {
  readonly width: number; // D
  readonly outputs: number; // O
  /** Index of the constant-1 feature, −1 when there is none (then no shift is applied). */
  readonly biasIndex: number;
  readonly gram: Float64Array; // [D, D] upper triangle of Σ x̃ᵀx̃, x̃ = x − c
  readonly xty: Float64Array; // [D, O] Σ x̃ᵀ y
  /** Shift c [D] subtracted from the features (0 at the bias), fixed by the first block. */
  shift: Float64Array | null = null;
  rows = 0;

  constructor(width: number, outputs: number, biasIndex = 0) {
    this.width = width;
    this.outputs = outputs;
    this.biasIndex = biasIndex;
    this.gram = new Float64Array(width * width);
    this.xty = new Float64Array(width * outputs);
  }

  /** Adds `rows` rows: X [rows, D], Y [rows, O]. */
  add(X: FloatArray, Y: FloatArray, rows: number): void {
    if (rows === 0) return;
    if (X.length < rows * this.width) {
      throw new EsnShapeError(`RidgeAccumulator.add: X has ${X.length} values, expected rows*width = ${rows}*${this.width}`);
    }
    if (Y.length < rows * this.outputs) {
      throw new EsnShapeError(`RidgeAccumulator.add: Y has ${Y.length} values, expected rows*outputs = ${rows}*${this.outputs}`);
    }
    const d = this.width;
    if (this.biasIndex >= 0 && this.shift === null) {
      const c = new Float64Array(d); // [D]
      for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) c[i] += X[r * d + i];
      for (let i = 0; i < d; i++) c[i] /= rows;
      c[this.biasIndex] = 0;
      this.shift = c;
    }
    // The kernel subtracts the shift as it reads X (no shifted copy of the block).
    accumulateGram({ rows, width: d, outputs: this.outputs, X, Y, gram: this.gram, xty: this.xty, shift: this.shift });
    this.rows += rows;
  }

  reset(): void {
    this.gram.fill(0);
    this.xty.fill(0);
    this.shift = null;
    this.rows = 0;
  }

  /** The normal equations of the unshifted features [1; x]: G [D, D] (full) and C [D, O]. */
  unshiftedNormalEquations(): { gram: Float64Array; xty: Float64Array } {
    const d = this.width;
    const no = this.outputs;
    const g = new Float64Array(d * d); // [D, D]
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) g[i * d + j] = g[j * d + i] = this.gram[i * d + j];
    const xty = Float64Array.from(this.xty); // [D, O]
    const c = this.shift;
    const b = this.biasIndex;
    if (c === null || b < 0) return { gram: g, xty };
    // x = x̃ + c·1_b: G = G̃ + c s̃ᵀ + s̃ cᵀ + T c cᵀ with s̃ = Σ x̃ (the bias row of G̃); C likewise.
    const s = new Float64Array(d); // [D] Σ x̃
    for (let i = 0; i < d; i++) s[i] = g[b * d + i];
    const T = this.rows;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i * d + j] += c[i] * s[j] + s[i] * c[j] + T * c[i] * c[j];
    for (let i = 0; i < d; i++) for (let o = 0; o < no; o++) xty[i * no + o] += c[i] * this.xty[b * no + o];
    return { gram: g, xty };
  }

  /** Readout weights W [O, D] minimising ‖X Wᵀ − Y‖² + λ ‖R Wᵀ‖². */
  solve(options: RidgeSolveOptions = {}): Float64Array {
    const ridge = checkRange('RidgeAccumulator.solve', 'ridge', options.ridge ?? 1e-8, 0, Infinity, false, true);
    const biasIndex = this.biasIndex;
    const d = this.width;
    const no = this.outputs;
    if (this.rows === 0) throw new NotFittedError('RidgeAccumulator.solve: no rows were accumulated; call add() with training data first');
    // Shifted variables are exact only when the bias is free; otherwise rebuild the original system.
    const useShifted = !options.regularizeBias || this.shift === null;
    let a: Float64Array; // [D, D] G + λR (the Cholesky kernels read its lower triangle), then its factor
    let sol: Float64Array; // [D, O]
    if (useShifted) {
      a = lowerFromUpper(this.gram, d);
      sol = Float64Array.from(this.xty);
    } else {
      const eq = this.unshiftedNormalEquations();
      a = eq.gram;
      sol = eq.xty;
    }
    for (let i = 0; i < d; i++) if (i !== biasIndex || options.regularizeBias) a[i * d + i] += ridge;
    const failure = choleskySolve({ n: d, a, m: no, b: sol }); // sol becomes the solution [D, O]
    if (failure !== null) {
      throw new SingularSystemError(
        `RidgeAccumulator.solve: the normal equations (Xᵀ X + λ I, ${d}x${d}, ${this.rows} rows, λ = ${ridge}) are singular or ` +
          `not positive definite (pivot ${failure.pivot.toExponential(3)} at feature ${failure.index}): some features are ` +
          `constant or linearly dependent${this.rows < d ? `, and there are fewer rows than features` : ''}. ` +
          `Use a larger ridge (e.g. ${suggestRidge(this.gram, d)}), more training data, or remove the dependent features.`,
      );
    }
    const w = new Float64Array(no * d); // [O, D]
    for (let o = 0; o < no; o++) for (let i = 0; i < d; i++) w[o * d + i] = sol[i * no + o];
    if (useShifted && this.shift !== null) {
      // y = w̃·(x − c) ⇒ the bias coefficient absorbs −w̃·c.
      for (let o = 0; o < no; o++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += w[o * d + i] * this.shift[i];
        w[o * d + biasIndex] -= s;
      }
    }
    return w;
  }
}

const TRANSPOSE_TILE = 64; // 64 × 64 doubles of the source (32 KiB) stay in L1 while a tile is copied

/**
 * A new [D, D] matrix holding, in its lower triangle and diagonal, the symmetric matrix whose
 * upper triangle `upper` [D, D] holds. Copied tile by tile: a plain column-wise copy reads a new
 * cache line for every entry once D rows no longer fit in the cache.
 */
function lowerFromUpper(upper: Float64Array, d: number): Float64Array {
  const a = new Float64Array(d * d); // [D, D]
  const B = TRANSPOSE_TILE;
  for (let i0 = 0; i0 < d; i0 += B) {
    const i1 = Math.min(i0 + B, d);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      for (let i = i0; i < i1; i++) {
        const j1 = Math.min(j0 + B, i + 1);
        for (let j = j0; j < j1; j++) a[i * d + j] = upper[j * d + i];
      }
    }
  }
  return a;
}

/** A ridge large enough to make the system well conditioned: 1e-8 of the mean diagonal of G. */
function suggestRidge(gram: Float64Array, d: number): string {
  let tr = 0;
  for (let i = 0; i < d; i++) tr += gram[i * d + i];
  const v = Math.max((1e-8 * tr) / d, 1e-10);
  return v.toExponential(0);
}
