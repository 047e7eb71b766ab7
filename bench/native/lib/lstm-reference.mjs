/**
 * A plain float64 LSTM forward (PyTorch's equations, gate order i,f,g,o, zero initial state).
 * Slow and obvious on purpose: the bench compares the ONNX Runtime and native outputs with it,
 * so a wrong gate order in the ONNX model, or a peer doing other work, cannot go unnoticed.
 */

const sigmoid = (v) => 1 / (1 + Math.exp(-v));

/** x [T, B, I]; weights { wIh [4H, I], wHh [4H, H], bIh [4H], bHh [4H] }. Returns y [T, B, H]. */
export function lstmForwardReference({ T, B, I, H, x, weights }) {
  const { wIh, wHh, bIh, bHh } = weights;
  const y = new Float64Array(T * B * H); // [T, B, H]
  const h = new Float64Array(B * H); // [B, H]
  const c = new Float64Array(B * H); // [B, H]
  const gates = new Float64Array(4 * H); // [4H]  pre-activations of one batch row
  for (let t = 0; t < T; t++) {
    const hPrev = Float64Array.from(h);
    for (let b = 0; b < B; b++) {
      const xRow = (t * B + b) * I;
      for (let r = 0; r < 4 * H; r++) {
        let s = bIh[r] + bHh[r];
        for (let k = 0; k < I; k++) s += wIh[r * I + k] * x[xRow + k];
        for (let k = 0; k < H; k++) s += wHh[r * H + k] * hPrev[b * H + k];
        gates[r] = s;
      }
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[j]);
        const f = sigmoid(gates[H + j]);
        const g = Math.tanh(gates[2 * H + j]);
        const o = sigmoid(gates[3 * H + j]);
        const cj = f * c[b * H + j] + i * g;
        c[b * H + j] = cj;
        h[b * H + j] = o * Math.tanh(cj);
      }
    }
    y.set(h, t * B * H);
  }
  return y;
}

/** Largest |a − b| over two equal-length arrays. */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
