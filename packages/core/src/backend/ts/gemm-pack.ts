import type { FloatArray } from '../../dtype.js';

/**
 * Panel packing for the blocked GEMM (Goto & van de Geijn 2008, "Anatomy of high-performance
 * matrix multiplication"). Both operands are copied into float64 scratch in the order the
 * micro-kernel reads them, so the kernel sees one element type (V8 keeps it monomorphic) and
 * walks memory strictly forward. Edge panels are padded with zeros: the kernel always computes
 * a full MR×NR tile and the write-back keeps only the valid part.
 */

/** Rows of op(A) per micro-panel. */
export const MR = 4;
/** Columns of op(B) per micro-panel. */
export const NR = 3;
/** Depth of one k block: an A micro-panel (MR·KC) plus a B micro-panel (KC·NR) stay in L1. */
export const KC = 256;
/** Rows of op(A) per packed block: MC·KC float64 = 256 KiB stays in L2. */
export const MC = 128;
/** Columns of op(B) per packed block (multiple of NR). */
export const NC = 3072;

/** Smallest multiple of `m` that is ≥ n. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/**
 * Packs op(A)[i0 : i0+mc, p0 : p0+kc] into `dst` as ceil(mc/MR) micro-panels, each [kc][MR]
 * (row index fastest), rows past mc zero.
 * a: [M, K] row-major, or [K, M] when transA.
 */
export function packA(
  a: FloatArray,
  transA: boolean,
  M: number,
  K: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  dst: Float64Array, // [ceil(mc/MR), kc, MR]
): void {
  const mrFull = 4; // MR as a literal: V8 reloads module bindings on every use in a loop
  let d = 0;
  for (let ir = 0; ir < mc; ir += mrFull) {
    const mr = Math.min(mrFull, mc - ir);
    if (transA) {
      // op(A)[i, p] = a[p*M + i]: the MR rows of one p are contiguous in a.
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * M + i0 + ir;
        if (mr === mrFull) {
          dst[d] = a[src];
          dst[d + 1] = a[src + 1];
          dst[d + 2] = a[src + 2];
          dst[d + 3] = a[src + 3];
        } else {
          for (let r = 0; r < mrFull; r++) dst[d + r] = r < mr ? a[src + r] : 0;
        }
        d += mrFull;
      }
    } else {
      // op(A)[i, p] = a[i*K + p]: read each row forward, write with stride MR.
      for (let r = 0; r < mrFull; r++) {
        if (r < mr) {
          const src = (i0 + ir + r) * K + p0;
          for (let p = 0; p < kc; p++) dst[d + p * mrFull + r] = a[src + p];
        } else {
          for (let p = 0; p < kc; p++) dst[d + p * mrFull + r] = 0;
        }
      }
      d += kc * mrFull;
    }
  }
}

/**
 * Packs op(B)[p0 : p0+kc, j0 : j0+nc] into `dst` as ceil(nc/NR) micro-panels, each [kc][NR]
 * (column index fastest), columns past nc zero.
 * b: [K, N] row-major, or [N, K] when transB.
 */
export function packB(
  b: FloatArray,
  transB: boolean,
  K: number,
  N: number,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  dst: Float64Array, // [ceil(nc/NR), kc, NR] from dOff
  dOff: number,
): void {
  const nrFull = 3; // NR as a literal (see packA)
  let d = dOff;
  for (let jr = 0; jr < nc; jr += nrFull) {
    const nr = Math.min(nrFull, nc - jr);
    if (transB) {
      // op(B)[p, j] = b[j*K + p]: read each of the NR rows of b forward.
      for (let c = 0; c < nrFull; c++) {
        if (c < nr) {
          const src = (j0 + jr + c) * K + p0;
          for (let p = 0; p < kc; p++) dst[d + p * nrFull + c] = b[src + p];
        } else {
          for (let p = 0; p < kc; p++) dst[d + p * nrFull + c] = 0;
        }
      }
      d += kc * nrFull;
    } else {
      // op(B)[p, j] = b[p*N + j]: the NR columns of one p are contiguous in b.
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * N + j0 + jr;
        if (nr === nrFull) {
          dst[d] = b[src];
          dst[d + 1] = b[src + 1];
          dst[d + 2] = b[src + 2];
        } else {
          for (let c = 0; c < nrFull; c++) dst[d + c] = c < nr ? b[src + c] : 0;
        }
        d += nrFull;
      }
    }
  }
}
