/**
 * GFLOP/s of the TypeScript backend's gemm on the products the recurrent kernels run
 * (T = 64, B = 32, I = 128, H = 256, LSTM's 4H = 1024 gate rows), float32 and float64.
 * RECURRENT_GEMM_THREADS=2 in the environment splits them over a worker thread.
 * Usage: node --expose-gc peers/gemm.js
 */
import { gemmThreadsFromEnv, tsBackend } from '@recurrent/core';
import { fillUniform, median, report } from '../lib/config.js';
import { GEMM_SHAPES } from '../lib/gemm-shapes.js';

const shapes = GEMM_SHAPES;

const threads = gemmThreadsFromEnv(); // what core's GEMMs will use; EnvError on a bad value
if (threads > 1) {
  // The first large product starts the workers; give them time to come up, then warm their JIT.
  const n = 256;
  const warm = { transA: false, transB: false, M: n, N: n, K: n, alpha: 1, beta: 0, a: new Float64Array(n * n), b: new Float64Array(n * n), c: new Float64Array(n * n) };
  tsBackend.gemm(warm);
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let i = 0; i < 30; i++) tsBackend.gemm(warm);
}
const rows = [];
for (const dtype of ['float32', 'float64']) {
  const Arr = dtype === 'float32' ? Float32Array : Float64Array;
  for (const [name, M, N, K, transA, transB] of shapes) {
    const args = {
      transA, transB, M, N, K, alpha: 1, beta: 0,
      a: fillUniform(new Arr(M * K), 1, 1), // op(A) [M, K]
      b: fillUniform(new Arr(K * N), 2, 1), // op(B) [K, N]
      c: new Arr(M * N), // [M, N]
    };
    const flops = 2 * M * N * K;
    const reps = Math.max(5, Math.min(200, Math.ceil(3e8 / flops)));
    for (let i = 0; i < 3; i++) tsBackend.gemm(args);
    const times = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      tsBackend.gemm(args);
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    rows.push({ dtype, name, M, N, K, transA, transB, ms, gflops: flops / ms / 1e6 });
  }
}
report({ peer: 'gemm', threads, rows });
