import { afterAll, describe, expect, it } from 'vitest';
import type { FloatArray } from '../../dtype.js';
import { OptionError } from '../../errors.js';
import { Random } from '../../random.js';
import { gemm } from './gemm.js';
import { packGemmB } from './gemm-packed.js';
import { gemmPackedParallel, gemmParallel, gemmWorkersReady, setGemmThreads } from './gemm-threads.js';

// The worker runs the compiled module (dist/, built before the tests by `npm test`).

async function startWorkers(threads: number): Promise<void> {
  const got = setGemmThreads(threads);
  if (got !== threads) throw new Error(`setGemmThreads(${threads}) gave ${got}: build the package first (npm run build)`);
  const deadline = Date.now() + 10_000;
  while (gemmWorkersReady() < threads - 1) {
    if (Date.now() > deadline) throw new Error('gemm workers did not start within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function uniform<T extends FloatArray>(out: T, rng: Random): T {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(-1, 1);
  return out;
}

function reference(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, a: ArrayLike<number>, b: ArrayLike<number>, beta: number, c: ArrayLike<number>): Float64Array {
  const out = new Float64Array(M * N); // [M, N]
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (transA ? a[k * M + i] : a[i * K + k]) * (transB ? b[j * K + k] : b[k * N + j]);
      out[i * N + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * N + j]);
    }
  }
  return out;
}

describe('gemm over worker threads', () => {
  afterAll(() => {
    setGemmThreads(1);
  });

  it('splits large products over the workers and matches the definition', async () => {
    await startWorkers(3);
    const rng = new Random(11);
    // ≥ 4 MFLOP each, odd N so the strips end on partial micro-panels, K across a KC block edge.
    for (const [M, N, K] of [[37, 101, 601], [65, 149, 300]] as const) {
      for (const [Arr, tol] of [[Float32Array, 1e-5], [Float64Array, 1e-12]] as const) {
        for (const [transA, transB, alpha, beta] of [[false, false, 1, 0], [true, false, -0.5, 1], [false, true, 2, 0.25], [true, true, 1, -1]] as const) {
          const a = uniform(new Arr(M * K), rng); // op(A) source
          const b = uniform(new Arr(K * N), rng); // op(B) source
          const c = uniform(new Arr(M * N), rng); // [M, N]
          if (beta === 0) c.fill(NaN); // beta = 0 must overwrite the workers' strips too
          const want = reference(transA, transB, M, N, K, alpha, a, b, beta, c);
          expect(gemmParallel(transA, transB, M, N, K, alpha, a, b, beta, c)).toBe(true);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(c[i] - want[i]) / (1 + Math.abs(want[i])));
          expect(worst).toBeLessThan(tol);
        }
      }
    }
  });

  it('splits products with a packed B, switching between packed matrices, and matches the definition', async () => {
    await startWorkers(2);
    const rng = new Random(13);
    const M = 32, K = 700; // ≥ 4 MFLOP with N = 101, and across two KC block edges
    for (const Arr of [Float32Array, Float64Array]) {
      // Two packed weights used in turn, as the forward and backward steps of a layer do.
      const shapes = [[101, false], [256, true]] as const;
      const bs = shapes.map(([N]) => uniform(new Arr(K * N), rng));
      const packs = shapes.map(([N, transB], q) => packGemmB(transB, K, N, bs[q]));
      for (let round = 0; round < 3; round++) {
        for (let q = 0; q < 2; q++) {
          const [N, transB] = shapes[q];
          const transA = round === 1;
          const alpha = round === 2 ? -2 : 1;
          const beta = round === 0 ? 0 : 0.5;
          const a = uniform(new Arr(M * K), rng);
          const c = uniform(new Arr(M * N), rng);
          const want = reference(transA, transB, M, N, K, alpha, a, bs[q], beta, c);
          expect(gemmPackedParallel(transA, M, alpha, a, packs[q], beta, c)).toBe(true);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(c[i] - want[i]) / (1 + Math.abs(want[i])));
          expect(worst).toBeLessThan(Arr === Float32Array ? 1e-5 : 1e-12);
        }
      }
    }
  });

  it('gemm uses the same result path with threads on: equal to the single-thread result', async () => {
    await startWorkers(2);
    const rng = new Random(12);
    const M = 64, N = 200, K = 250; // one k block: float32 C is rounded once on either path
    const a = Float32Array.from({ length: M * K }, () => rng.uniformRange(-1, 1));
    const b = Float32Array.from({ length: K * N }, () => rng.uniformRange(-1, 1));
    const c0 = Float32Array.from({ length: M * N }, () => rng.uniformRange(-1, 1));
    const threaded = c0.slice();
    gemm({ transA: false, transB: true, M, N, K, alpha: 1.5, a, b, beta: 0.5, c: threaded });
    setGemmThreads(1);
    const single = c0.slice();
    gemm({ transA: false, transB: true, M, N, K, alpha: 1.5, a, b, beta: 0.5, c: single });
    // Same blocking and summation order per element on every thread: bitwise equal.
    expect(Array.from(threaded)).toEqual(Array.from(single));
  });

  it('leaves small products to the calling thread', async () => {
    await startWorkers(2);
    const a = new Float64Array(16 * 16);
    expect(gemmParallel(false, false, 16, 16, 16, 1, a, a, 0, new Float64Array(256))).toBe(false);
  });

  it('rejects a thread count that is not an integer from 1 to 64', () => {
    expect(() => setGemmThreads(0)).toThrow(new OptionError('setGemmThreads: threads must be an integer from 1 to 64, got 0'));
    expect(() => setGemmThreads(1.5)).toThrow(OptionError);
  });
});
