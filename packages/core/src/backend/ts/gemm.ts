import type { GemmArgs } from '../contract.js';

/**
 * C = alpha op(A) op(B) + beta C, row-major. Reference loop order i-k-j so the inner loop
 * streams rows of B and C.
 */
export function gemm(args: GemmArgs): void {
  const { transA, transB, M, N, K, alpha, a, b, beta, c } = args;
  if (beta !== 1) {
    if (beta === 0) c.fill(0, 0, M * N);
    else for (let i = 0; i < M * N; i++) c[i] *= beta;
  }
  if (alpha === 0 || K === 0) return;
  for (let i = 0; i < M; i++) {
    const cRow = i * N;
    for (let k = 0; k < K; k++) {
      const aik = alpha * (transA ? a[k * M + i]! : a[i * K + k]!);
      if (aik === 0) continue;
      if (transB) {
        for (let j = 0; j < N; j++) c[cRow + j] += aik * b[j * K + k]!;
      } else {
        const bRow = k * N;
        for (let j = 0; j < N; j++) c[cRow + j] += aik * b[bRow + j]!;
      }
    }
  }
}
