/**
 * Random weight matrices of a reservoir: sparse recurrent W (CSR), dense input and feedback
 * matrices with a chosen connectivity. All draws come from one seeded `Random`.
 */
import type { CsrMatrix, FloatArray } from './csr.js';
import { checkRange, checkPositiveInteger } from './errors.js';
import type { Random } from './random.js';

/** uniform: U(−1, 1); normal: N(0, 1); bimodal: ±1 with equal probability. */
export type WeightDistribution = 'uniform' | 'normal' | 'bimodal';
export const WEIGHT_DISTRIBUTIONS: readonly WeightDistribution[] = ['uniform', 'normal', 'bimodal'];

export type Precision = 'float32' | 'float64';

export function drawWeight(rng: Random, distribution: WeightDistribution): number {
  switch (distribution) {
    case 'uniform':
      return 2 * rng.uniform() - 1;
    case 'normal':
      return rng.normal();
    case 'bimodal':
      return rng.uniform() < 0.5 ? -1 : 1;
  }
}

export function checkDistribution(where: string, value: unknown): WeightDistribution {
  if (typeof value !== 'string' || !WEIGHT_DISTRIBUTIONS.includes(value as WeightDistribution)) {
    throw new RangeError(`${where}: distribution must be one of 'uniform', 'normal', 'bimodal', got ${JSON.stringify(value)}`);
  }
  return value as WeightDistribution;
}

/**
 * Sparse random square matrix [n, n]: every row has exactly round(density · n) non-zeros
 * (at least 1) in distinct columns drawn uniformly, so no unit is left without input.
 */
export function randomSparseMatrix(
  n: number,
  density: number,
  distribution: WeightDistribution,
  rng: Random,
  precision: Precision = 'float64',
): CsrMatrix {
  checkPositiveInteger('randomSparseMatrix', 'n', n);
  checkRange('randomSparseMatrix', 'density', density, 0, 1, true, false);
  checkDistribution('randomSparseMatrix', distribution);
  const perRow = Math.max(1, Math.min(n, Math.round(density * n)));
  const rowStart = new Int32Array(n + 1); // [n+1]
  const colIndex = new Int32Array(n * perRow); // [nnz]
  const values: FloatArray = precision === 'float32' ? new Float32Array(n * perRow) : new Float64Array(n * perRow); // [nnz]
  const chosen = new Set<number>();
  const cols = new Int32Array(perRow); // [perRow]
  for (let i = 0; i < n; i++) {
    rowStart[i] = i * perRow;
    // Floyd's algorithm: perRow distinct columns out of n.
    chosen.clear();
    for (let j = n - perRow; j < n; j++) {
      const t = rng.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    let c = 0;
    for (const col of chosen) cols[c++] = col;
    cols.sort();
    for (let k = 0; k < perRow; k++) {
      colIndex[i * perRow + k] = cols[k];
      values[i * perRow + k] = drawWeight(rng, distribution);
    }
  }
  rowStart[n] = n * perRow;
  return { rows: n, cols: n, rowStart, colIndex, values };
}

/**
 * Dense [rows, cols] matrix where each entry is non-zero with probability `connectivity`,
 * drawn from `distribution` and multiplied by `columnScale[j]` (the per-column scaling).
 * Every row keeps at least one connection so that every unit sees the inputs.
 */
export function randomDenseMatrix(
  rows: number,
  cols: number,
  connectivity: number,
  distribution: WeightDistribution,
  columnScale: ArrayLike<number>,
  rng: Random,
  precision: Precision = 'float64',
): FloatArray {
  const out: FloatArray = precision === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols); // [rows, cols]
  if (cols === 0) return out;
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = 0; j < cols; j++) {
      if (connectivity >= 1 || rng.uniform() < connectivity) {
        out[i * cols + j] = drawWeight(rng, distribution) * columnScale[j];
        any = true;
      }
    }
    if (!any) {
      const j = rng.int(cols);
      out[i * cols + j] = drawWeight(rng, distribution) * columnScale[j];
    }
  }
  return out;
}
