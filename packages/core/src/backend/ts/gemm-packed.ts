import type { FloatArray } from '../../dtype.js';
import { ShapeError } from '../../errors.js';
import { gemmPackedColumns, scaleC } from './gemm-blocked.js';
import { KC, NR, packB, roundUp } from './gemm-pack.js';
import { gemmPackedParallel } from './gemm-threads.js';

/**
 * GEMM with op(B) packed once and reused over many calls: the recurrent step multiplies the
 * same weight matrix at every time step, where repacking it each step would cost ~15% of the
 * step's product at B = 32.
 */
export interface PackedB {
  readonly K: number;
  readonly N: number;
  /**
   * KC blocks of k, each ceil(N/NR) micro-panels [kc][NR]; block p0 starts at p0·roundUp(N, NR).
   * On a SharedArrayBuffer so GEMM worker threads read it without a copy.
   */
  readonly data: Float64Array; // [K, roundUp(N, NR)] in panel order
  /** Tells worker threads which packed matrix they hold. */
  readonly id: number;
}

let nextPackedId = 1;

/** Packs op(B) [K, N] (b is [K, N], or [N, K] when transB) for gemmPackedB. */
export function packGemmB(transB: boolean, K: number, N: number, b: FloatArray): PackedB {
  if (!Number.isInteger(K) || K < 0 || !Number.isInteger(N) || N < 0) {
    throw new ShapeError(`packGemmB: K and N must be non-negative integers, got K=${String(K)} N=${String(N)}`);
  }
  if (b.length < K * N) {
    throw new ShapeError(`packGemmB: b has ${b.length} elements, expected at least ${K * N} for [${transB ? N : K},${transB ? K : N}]`);
  }
  const nPad = roundUp(N, NR);
  const data = new Float64Array(new SharedArrayBuffer(K * nPad * 8));
  for (let p0 = 0; p0 < K; p0 += KC) {
    packB(b, transB, K, N, p0, Math.min(KC, K - p0), 0, N, data, p0 * nPad);
  }
  return { K, N, data, id: nextPackedId++ };
}

export interface GemmPackedBArgs {
  transA: boolean;
  M: number;
  alpha: number;
  a: FloatArray; // op(A) is [M, K]: A is [M, K], or [K, M] when transA
  b: PackedB; // op(B) [K, N]
  beta: number;
  c: FloatArray; // [M, N], in place: C = alpha op(A) op(B) + beta C
}

/** C = alpha op(A) op(B) + beta C with op(B) from packGemmB; same semantics as gemm. */
export function gemmPackedB(args: GemmPackedBArgs): void {
  const { transA, M, alpha, a, b, beta, c } = args;
  const { K, N } = b;
  if (!Number.isInteger(M) || M < 0) throw new ShapeError(`gemmPackedB: M must be a non-negative integer, got ${String(M)}`);
  if (a.length < M * K) {
    throw new ShapeError(`gemmPackedB: a has ${a.length} elements, expected at least ${M * K} for [${transA ? K : M},${transA ? M : K}]`);
  }
  if (c.length < M * N) throw new ShapeError(`gemmPackedB: c has ${c.length} elements, expected at least ${M * N} for [${M},${N}]`);
  if (M === 0 || N === 0) return;
  if (alpha === 0 || K === 0) {
    scaleC(c, M * N, beta);
    return;
  }
  if (gemmPackedParallel(transA, M, alpha, a, b, beta, c)) return;
  gemmPackedColumns(transA, M, K, alpha, a, b.data, roundUp(N, NR), beta, c, N, 0, N, 0);
}
