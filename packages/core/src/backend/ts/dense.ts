import { allocFloat, dtypeOf, type FloatArray } from '../../dtype.js';
import type { SoftmaxCrossEntropyResult, UnaryOp } from '../contract.js';
import { checkEmbeddingIds } from './embedding-ids.js';

function like(x: FloatArray, length = x.length): FloatArray {
  return allocFloat(dtypeOf(x), length);
}

export function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

export function addBias(x: FloatArray, bias: FloatArray, R: number, C: number): FloatArray {
  const y = like(x);
  for (let r = 0; r < R; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) y[o + c] = x[o + c]! + bias[c]!;
  }
  return y;
}

export function sumRows(x: FloatArray, R: number, C: number): FloatArray {
  const out = like(x, C);
  for (let r = 0; r < R; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) out[c] += x[o + c]!;
  }
  return out;
}

export function unary(op: UnaryOp, x: FloatArray): FloatArray {
  const y = like(x);
  const n = x.length;
  switch (op) {
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) y[i] = sigmoid(x[i]!);
      break;
    case 'relu':
      for (let i = 0; i < n; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
      break;
    case 'exp':
      for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]!);
      break;
    case 'log':
      for (let i = 0; i < n; i++) y[i] = Math.log(x[i]!);
      break;
    case 'neg':
      for (let i = 0; i < n; i++) y[i] = -x[i]!;
      break;
    case 'square':
      for (let i = 0; i < n; i++) y[i] = x[i]! * x[i]!;
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]!);
      break;
  }
  return y;
}

export function unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray): FloatArray {
  const dx = like(x);
  const n = x.length;
  switch (op) {
    case 'tanh':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! * (1 - y[i]! * y[i]!);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! * y[i]! * (1 - y[i]!);
      break;
    case 'relu':
      for (let i = 0; i < n; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
      break;
    case 'exp':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! * y[i]!;
      break;
    case 'log':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! / x[i]!;
      break;
    case 'neg':
      for (let i = 0; i < n; i++) dx[i] = -dy[i]!;
      break;
    case 'square':
      for (let i = 0; i < n; i++) dx[i] = 2 * x[i]! * dy[i]!;
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! / (2 * y[i]!);
      break;
  }
  return dx;
}

export function softmax(x: FloatArray, R: number, C: number): FloatArray {
  const y = like(x);
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (x[o + c]! > max) max = x[o + c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(x[o + c]! - max);
      y[o + c] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let c = 0; c < C; c++) y[o + c] *= inv;
  }
  return y;
}

export function softmaxBackward(y: FloatArray, dy: FloatArray, R: number, C: number): FloatArray {
  const dx = like(y);
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let dot = 0;
    for (let c = 0; c < C; c++) dot += y[o + c]! * dy[o + c]!;
    for (let c = 0; c < C; c++) dx[o + c] = y[o + c]! * (dy[o + c]! - dot);
  }
  return dx;
}

export function softmaxCrossEntropy(
  logits: FloatArray,
  targets: Int32Array,
  mask: FloatArray | null,
  N: number,
  C: number,
): SoftmaxCrossEntropyResult {
  const dlogits = like(logits);
  let lossSum = 0;
  let count = 0;
  for (let n = 0; n < N; n++) {
    const m = mask === null ? 1 : mask[n]!;
    if (m === 0) continue;
    const o = n * C;
    const t = targets[n]!;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (logits[o + c]! > max) max = logits[o + c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c]! - max);
    const logSum = Math.log(sum) + max;
    lossSum += m * (logSum - logits[o + t]!);
    count += m;
    for (let c = 0; c < C; c++) dlogits[o + c] = m * Math.exp(logits[o + c]! - logSum);
    dlogits[o + t] -= m;
  }
  return { lossSum, count, dlogits };
}

export function embeddingForward(table: FloatArray, ids: Int32Array, V: number, E: number): FloatArray {
  checkEmbeddingIds('embeddingForward', ids, V);
  const out = like(table, ids.length * E);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    out.set(table.subarray(id * E, id * E + E), n * E);
  }
  return out;
}

export function embeddingBackward(dTable: FloatArray, ids: Int32Array, dOut: FloatArray, V: number, E: number): void {
  checkEmbeddingIds('embeddingBackward', ids, V); // before any write: no partial update
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    const o = id * E;
    const s = n * E;
    for (let e = 0; e < E; e++) dTable[o + e] += dOut[s + e]!;
  }
}
