import type { FloatArray } from '../../dtype.js';
import { ShapeError } from '../../errors.js';
import type { GemmArgs } from '../contract.js';
import { macroKernel } from './gemm-kernel.js';
import { KC, MC, MR, NC, NR, packA, packB, roundUp } from './gemm-pack.js';

/**
 * C = alpha op(A) op(B) + beta C, row-major, for Float32Array and Float64Array alike.
 *
 * Blocked as in Goto & van de Geijn 2008: op(B) is packed in KC×NC blocks and op(A) in MC×KC
 * blocks into float64 scratch reused across calls, and a 4×3 register-blocked micro-kernel
 * accumulates in float64 over each k block. Float32 inputs are therefore summed in float64
 * and rounded once when written to C. beta = 0 overwrites C (NaN included); alpha = 0 or
 * K = 0 reads neither A nor B.
 */
export function gemm(args: GemmArgs): void {
  const { transA, transB, M, N, K, alpha, a, b, beta, c } = args;
  checkGemmArgs(args);
  if (M === 0 || N === 0) return;
  if (alpha === 0 || K === 0) {
    scaleC(c, M * N, beta);
    return;
  }
  const scratch = gemmScratch(Math.min(roundUp(M, MR), MC) * Math.min(K, KC), roundUp(Math.min(N, NC), NR) * Math.min(K, KC));
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = Math.min(NC, N - j0);
    for (let p0 = 0; p0 < K; p0 += KC) {
      const kc = Math.min(KC, K - p0);
      packB(b, transB, K, N, p0, kc, j0, nc, scratch.b, 0);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        packA(a, transA, M, K, i0, mc, p0, kc, scratch.a);
        macroKernel(mc, nc, kc, scratch.a, scratch.b, 0, scratch.tile, alpha, beta, p0 === 0, c, N, i0, j0);
      }
    }
  }
}

/** C = beta C over its first n elements; beta = 0 writes zeros even where C held NaN. */
export function scaleC(c: FloatArray, n: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) c.fill(0, 0, n);
  else for (let i = 0; i < n; i++) c[i] *= beta;
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

interface GemmScratch {
  a: Float64Array; // [ceil(MC/MR), KC, MR]
  b: Float64Array; // [ceil(NC/NR), KC, NR]
  tile: Float64Array; // [MR, NR]
}

let scratch: GemmScratch = { a: new Float64Array(0), b: new Float64Array(0), tile: new Float64Array(MR * NR) };

/** Packing buffers reused across calls; grown, never shrunk (at most ~6.5 MB with these block sizes). */
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
