import { allocFloat, type DType, type FloatArray } from '../../dtype.js';
import type { SequenceCache, SequenceForwardArgs } from '../contract.js';
import { gemm } from './gemm.js';
import { gemmPackedB, packGemmB, type PackedB } from './gemm-packed.js';

/** What every TypeScript-backend cache records, so a backward can check it was given the right one. */
export interface TsCacheBase extends SequenceCache {
  readonly backend: 'ts';
  readonly kind: 'rnn' | 'lstm' | 'gru' | 'mgu';
  /** The cell spec the forward ran, as text (cellKey), so a backward for another variant is refused. */
  readonly cellKey: string;
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly dtype: DType;
  readonly reverse: boolean;
}

/** c = op(a) op(b) + beta c with op(a) [M, K], op(b) [K, N], c [M, N]. */
export function matmul(
  a: FloatArray,
  transA: boolean,
  b: FloatArray,
  transB: boolean,
  c: FloatArray,
  M: number,
  N: number,
  K: number,
  beta: number,
): void {
  gemm({ transA, transB, M, N, K, alpha: 1, a, b, beta, c });
}

/**
 * The input projection of all steps at once: out = x W_ihᵀ, x [T*B, I], W_ih [GH, I];
 * returns [T*B, GH]. Biases are added later, in the pass that applies the activations.
 */
export function inputProjection(x: FloatArray, wIh: FloatArray, rows: number, I: number, GH: number, dtype: DType): FloatArray {
  const out = allocFloat(dtype, rows * GH); // [T*B, GH]
  matmul(x, false, wIh, true, out, rows, GH, I, 0);
  return out;
}

/** A bias as float64 (zeros when absent), so the passes read one type whatever the dtype. */
export function biasOrZero(bias: FloatArray | null, n: number): Float64Array {
  return bias === null ? new Float64Array(n) : Float64Array.from(bias);
}

/** b_ih + b_hh as float64 [n] (zeros where absent). */
export function biasSum(bIh: FloatArray | null, bHh: FloatArray | null, n: number): Float64Array {
  const out = new Float64Array(n);
  if (bIh !== null) for (let j = 0; j < n; j++) out[j] += bIh[j];
  if (bHh !== null) for (let j = 0; j < n; j++) out[j] += bHh[j];
  return out;
}

/** The time index processed at step s (0-based in processing order). */
export function timeAt(s: number, T: number, reverse: boolean): number {
  return reverse ? T - 1 - s : s;
}

/** dst[dstOff + j] += Σ_r src[r*cols + j] over `rows` rows; src [rows, cols]. */
export function addColumnSums(dst: FloatArray, dstOff: number, src: FloatArray, rows: number, cols: number): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let j = 0; j < cols; j++) acc[j] += src[off + j];
  }
  for (let j = 0; j < cols; j++) dst[dstOff + j] += acc[j];
}

/**
 * dW += Σ_t dG[t]ᵀ prev[t] as at most two GEMMs, where prev[t] is the sequence value of the
 * step processed before t (seq[t−1] forward, seq[t+1] reverse) and `first` at the first step
 * (null: zero there, nothing to add).
 * dG [T, B, M], seq [T, B, K], first [B, K] or null, dW [M, K].
 */
export function addPrevProduct(
  dW: FloatArray,
  dG: FloatArray,
  seq: FloatArray,
  first: FloatArray | null,
  T: number,
  B: number,
  M: number,
  K: number,
  reverse: boolean,
): void {
  const gStep = B * M;
  const sStep = B * K;
  if (T > 1) {
    // forward: rows t = 1..T−1 of dG meet rows t = 0..T−2 of seq; reverse: the other way round.
    const g = reverse ? dG.subarray(0, (T - 1) * gStep) : dG.subarray(gStep, T * gStep);
    const s = reverse ? seq.subarray(sStep, T * sStep) : seq.subarray(0, (T - 1) * sStep);
    matmul(g, true, s, false, dW, M, K, (T - 1) * B, 1);
  }
  if (first !== null) {
    const t0 = reverse ? T - 1 : 0;
    matmul(dG.subarray(t0 * gStep, (t0 + 1) * gStep), true, first, false, dW, M, K, B, 1);
  }
}

/** The hidden state before step s: h0 at the first step, else y at the previously processed time. */
export function prevHidden(s: number, T: number, reverse: boolean, y: FloatArray, h0: FloatArray, BH: number): FloatArray {
  if (s === 0) return h0;
  const tp = timeAt(s - 1, T, reverse);
  return y.subarray(tp * BH, (tp + 1) * BH);
}

/** The gradients of the input, the weights and the biases, given the gate gradients of all steps. */
export interface GateGrads {
  dx: FloatArray; // [T, B, I]
  dWIh: FloatArray; // [GH, I]
  dWHh: FloatArray; // [GH, H]
  dBIh: FloatArray | null; // [GH]
  dBHh: FloatArray | null; // [GH]
}

/**
 * After the step loop, as single GEMMs: dW_ih = dGxᵀ X, dW_hh = Σ_t dGh[t]ᵀ h_prev[t],
 * dx = dGx W_ih, and the biases as column sums. dGx and dGh differ only where a block's
 * recurrent term is scaled inside the gate (GRU with resetAfter: r ⊙ (W_hn h + b_hn)).
 * dGx, dGh [T, B, GH]; y [T, B, H].
 */
export function gradsFromGates(fwd: SequenceForwardArgs, dtype: DType, dGx: FloatArray, dGh: FloatArray, GH: number, y: FloatArray): GateGrads {
  const { T, B, I, H, x, h0, weights, reverse } = fwd;
  const dWIh = allocFloat(dtype, GH * I); // [GH, I]
  const dWHh = allocFloat(dtype, GH * H); // [GH, H]
  const dx = allocFloat(dtype, T * B * I); // [T, B, I]
  matmul(dGx, true, x, false, dWIh, GH, I, T * B, 0);
  addPrevProduct(dWHh, dGh, y, h0, T, B, GH, H, reverse);
  matmul(dGx, false, weights.wIh, false, dx, T * B, I, GH, 0);
  let dBIh: FloatArray | null = null;
  let dBHh: FloatArray | null = null;
  if (weights.bIh !== null) {
    dBIh = allocFloat(dtype, GH);
    addColumnSums(dBIh, 0, dGx, T * B, GH);
  }
  if (weights.bHh !== null) {
    if (dGh === dGx && dBIh !== null) dBHh = dBIh.slice();
    else {
      dBHh = allocFloat(dtype, GH);
      addColumnSums(dBHh, 0, dGh, T * B, GH);
    }
  }
  return { dx, dWIh, dWHh, dBIh, dBHh };
}

/**
 * A weight used at every step, packed once per call: op(w) [K, N] (w is [K, N], or [N, K]
 * when trans), so the step products do not repack it T times.
 */
export function packWeight(w: FloatArray, trans: boolean, K: number, N: number): PackedB {
  return packGemmB(trans, K, N, w);
}

/** c = a op(w) + beta c with a [M, K] and op(w) [K, N] packed by packWeight; c [M, N]. */
export function stepProduct(a: FloatArray, w: PackedB, c: FloatArray, M: number, beta: number): void {
  gemmPackedB({ transA: false, M, alpha: 1, a, b: w, beta, c });
}
