import type { FloatArray } from '../../dtype.js';
import { macroKernel } from './gemm-kernel.js';
import { KC, MC, MR, NC, NR, packA, packB, roundUp } from './gemm-pack.js';

/**
 * The single-thread blocked GEMM (Goto & van de Geijn 2008) over the columns [jBegin, jEnd) of
 * op(B) and C: op(B) is packed in KC×NC blocks and op(A) in MC×KC blocks into float64 scratch,
 * and the 4×3 micro-kernel accumulates in float64 over each k block, so float32 C is rounded
 * once per KC products. C's column j is stored at c[i·ldc + j − cColShift] (a worker thread
 * writes its column strip into a buffer of its own). Callers handle M, N, K, alpha = 0.
 */
export function gemmBlockedColumns(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: FloatArray, // [M, K], or [K, M] when transA
  b: FloatArray, // [K, N], or [N, K] when transB
  beta: number,
  c: FloatArray, // [M, ldc]
  ldc: number,
  jBegin: number,
  jEnd: number,
  cColShift: number,
): void {
  const width = jEnd - jBegin;
  const scratch = gemmScratch(Math.min(roundUp(M, MR), MC) * Math.min(K, KC), roundUp(Math.min(width, NC), NR) * Math.min(K, KC));
  for (let j0 = jBegin; j0 < jEnd; j0 += NC) {
    const nc = Math.min(NC, jEnd - j0);
    for (let p0 = 0; p0 < K; p0 += KC) {
      const kc = Math.min(KC, K - p0);
      packB(b, transB, K, N, p0, kc, j0, nc, scratch.b, 0);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        packA(a, transA, M, K, i0, mc, p0, kc, scratch.a);
        macroKernel(mc, nc, kc, scratch.a, scratch.b, 0, scratch.tile, alpha, beta, p0 === 0, c, ldc, i0, j0 - cColShift);
      }
    }
  }
}

/**
 * The same over columns [jBegin, jEnd) with op(B) already packed (gemm-packed.ts): KC blocks of
 * k, block p0 at p0·nPad, each ceil(N/NR) micro-panels [kc][NR]. jBegin is a multiple of NR.
 */
export function gemmPackedColumns(
  transA: boolean,
  M: number,
  K: number,
  alpha: number,
  a: FloatArray, // [M, K], or [K, M] when transA
  packed: Float64Array, // [K, nPad] in panel order
  nPad: number,
  beta: number,
  c: FloatArray, // [M, ldc]
  ldc: number,
  jBegin: number,
  jEnd: number,
  cColShift: number,
): void {
  const scratch = gemmScratch(Math.min(roundUp(M, MR), MC) * Math.min(K, KC), 0);
  for (let p0 = 0; p0 < K; p0 += KC) {
    const kc = Math.min(KC, K - p0);
    // Panel jBegin/NR of block p0 starts jBegin·kc after the block.
    const bOff = p0 * nPad + jBegin * kc;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = Math.min(MC, M - i0);
      packA(a, transA, M, K, i0, mc, p0, kc, scratch.a);
      macroKernel(mc, jEnd - jBegin, kc, scratch.a, packed, bOff, scratch.tile, alpha, beta, p0 === 0, c, ldc, i0, jBegin - cColShift);
    }
  }
}

/** C = beta C over its first n elements; beta = 0 writes zeros even where C held NaN. */
export function scaleC(c: FloatArray, n: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) c.fill(0, 0, n);
  else for (let i = 0; i < n; i++) c[i] *= beta;
}

export interface GemmScratch {
  a: Float64Array; // [ceil(MC/MR), KC, MR]
  b: Float64Array; // [ceil(NC/NR), KC, NR]
  tile: Float64Array; // [MR, NR]
}

let scratch: GemmScratch = { a: new Float64Array(0), b: new Float64Array(0), tile: new Float64Array(MR * NR) };

/** Packing buffers reused across calls (one set per thread); grown, never shrunk (at most ~6.5 MB). */
export function gemmScratch(aLength: number, bLength: number): GemmScratch {
  if (scratch.a.length < aLength || scratch.b.length < bLength) {
    scratch = {
      a: scratch.a.length < aLength ? new Float64Array(aLength) : scratch.a,
      b: scratch.b.length < bLength ? new Float64Array(bLength) : scratch.b,
      tile: scratch.tile,
    };
  }
  return scratch;
}
