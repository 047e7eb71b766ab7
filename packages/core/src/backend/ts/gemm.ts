import type { FloatArray } from '../../dtype.js';
import { ShapeError } from '../../errors.js';
import type { GemmArgs } from '../contract.js';
import { gemmBlockedColumns, scaleC } from './gemm-blocked.js';
import { gemmParallel } from './gemm-threads.js';

/**
 * C = alpha op(A) op(B) + beta C, row-major, for Float32Array and Float64Array alike.
 *
 * Blocked and packed into float64 (gemm-blocked.ts); float32 inputs are summed in float64 and
 * rounded into C once per block of KC = 256 products. beta = 0 overwrites C (NaN included);
 * alpha = 0 or K = 0 reads neither A nor B. Large products are split over worker threads
 * when setGemmThreads (or RECURRENT_GEMM_THREADS) asked for more than one (gemm-threads.ts).
 */
export function gemm(args: GemmArgs): void {
  const { transA, transB, M, N, K, alpha, a, b, beta, c } = args;
  checkGemmArgs(args);
  if (M === 0 || N === 0) return;
  if (alpha === 0 || K === 0) {
    scaleC(c, M * N, beta);
    return;
  }
  if (gemmParallel(transA, transB, M, N, K, alpha, a, b, beta, c)) return;
  gemmBlockedColumns(transA, transB, M, N, K, alpha, a, b, beta, c, N, 0, N, 0);
}

/** Throws a ShapeError naming the sizes when a buffer is too short for the stated shape. */
export function checkGemmArgs(args: GemmArgs): void {
  const { transA, transB, M, N, K, a, b, c } = args;
  for (const [name, v] of [['M', M], ['N', N], ['K', K]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ShapeError(`gemm: ${name} must be a non-negative integer, got ${String(v)}`);
  }
  const need = (name: string, arr: FloatArray, rows: number, cols: number): void => {
    if (arr.length < rows * cols) {
      throw new ShapeError(`gemm: ${name} has ${arr.length} elements, expected at least ${rows * cols} for [${rows},${cols}]`);
    }
  };
  need('a', a, transA ? K : M, transA ? M : K);
  need('b', b, transB ? N : K, transB ? K : N);
  need('c', c, M, N);
}
