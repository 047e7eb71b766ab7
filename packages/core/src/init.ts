/** Weight initializers. Each fills `data` in place from a seeded generator. */
import type { FloatArray } from './dtype.js';
import { ShapeError } from './errors.js';
import type { Random } from './random.js';

export function fillUniform(data: FloatArray, low: number, high: number, rng: Random): void {
  for (let i = 0; i < data.length; i++) data[i] = rng.uniformRange(low, high);
}

export function fillNormal(data: FloatArray, mean: number, std: number, rng: Random): void {
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
}

/** PyTorch's default for RNN, LSTM and GRU parameters: U(−1/√H, 1/√H). */
export function fillPytorchRecurrent(data: FloatArray, hiddenSize: number, rng: Random): void {
  const k = 1 / Math.sqrt(hiddenSize);
  fillUniform(data, -k, k, rng);
}

/** Xavier/Glorot uniform (Glorot & Bengio 2010): U(−a, a), a = gain·√(6 / (fanIn + fanOut)). */
export function fillXavierUniform(data: FloatArray, fanIn: number, fanOut: number, rng: Random, gain = 1): void {
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  fillUniform(data, -a, a, rng);
}

/**
 * Orthogonal (Saxe et al. 2014) for a [rows, cols] block at `offset`: QR of a standard normal
 * matrix, with Q's columns signed by R's diagonal so the distribution is uniform (as PyTorch).
 */
export function fillOrthogonal(data: FloatArray, rows: number, cols: number, rng: Random, gain = 1, offset = 0): void {
  if (offset + rows * cols > data.length) throw new ShapeError(`fillOrthogonal: block [${rows}, ${cols}] at ${offset} exceeds ${data.length} elements`);
  const tall = rows >= cols;
  const m = tall ? rows : cols; // the long side
  const n = tall ? cols : rows;
  // q: n orthonormal vectors of length m, by modified Gram-Schmidt on normal samples (twice for stability).
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = rng.normal();
    let rjj = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < m; i++) d += u[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i] -= d * u[i]!;
      }
    }
    for (let i = 0; i < m; i++) rjj += v[i]! * v[i]!;
    rjj = Math.sqrt(rjj);
    for (let i = 0; i < m; i++) v[i] /= rjj;
    q.push(v);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[offset + r * cols + c] = gain * (tall ? q[c]![r]! : q[r]![c]!);
  }
}

/** Scaled identity for a square [n, n] block at `offset` (IRNN, Le et al. 2015). */
export function fillIdentity(data: FloatArray, n: number, scale = 1, offset = 0): void {
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) data[offset + r * n + c] = r === c ? scale : 0;
}
