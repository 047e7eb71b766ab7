import { Random } from '@recurrent/core';
import { RidgeAccumulator, SingularSystemError, choleskyInPlace, choleskySolveInPlace, setEsnKernels } from '@recurrent/esn';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../test/helpers.js';
import { createEsnKernels } from './esn-kernels.js';

/**
 * The addon's blocked Cholesky factorisation and solve (esnCholesky) against the TypeScript
 * choleskyInPlace / choleskySolveInPlace of @recurrent/esn, at every ISA level, for sizes on and
 * off the block grid (128 columns per block step, 32 inside a diagonal block, 8 / 4 / 1 rows per
 * panel).
 *
 * Bounds: Cholesky is backward stable, so the residual ‖A x − b‖∞ / (‖A‖∞ ‖x‖∞) of either
 * solve is a small multiple of n·ε whatever the conditioning (4n·ε is asserted, 8.9e-13 at
 * n = 1000; both solves measure below 4e-15). The factors of the two implementations differ only by rounding
 * amplified by cond(A); the diagonally dominant matrices below have cond(A) < 1.1, so their
 * factors agree to 1e-13 of the largest entry (n·ε ≤ 2.2e-13 is the worst case, √n·ε typical).
 */

const backend = native();
const kernels = createEsnKernels(backend.binding);
const ISAS = backend.availableIsas;
const SIZES = [1, 7, 33, 64, 65, 129, 300, 1000];

afterAll(() => {
  backend.setIsa(ISAS[0]);
  backend.setThreads(backend.binding.defaultThreads);
  setEsnKernels(null);
});

/** Symmetric, entries in (−1/2, 1/2) plus n on the diagonal: eigenvalues in n ± 0.6√n (cond < 1.1). */
function dominant(n: number, rng: Random): Float64Array {
  const a = new Float64Array(n * n); // [n, n]
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.uniform() - 0.5;
    a[i * n + i] += n;
  }
  return a;
}

/** The Gram matrix of 2n rows of correlated features with a large common mean (as reservoir
 *  states), plus a small ridge: cond(A) from 2e5 (n = 65) to 3e6 (n = 1000). */
function gramLike(n: number, rng: Random): Float64Array {
  const rows = 2 * n;
  const x = new Float64Array(rows * n); // [rows, n]
  for (let r = 0; r < rows; r++) {
    const common = rng.normal();
    for (let j = 0; j < n; j++) x[r * n + j] = 3 + 0.8 * common + 0.2 * rng.normal();
  }
  const a = new Float64Array(n * n); // [n, n]
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < n; i++) {
      const xi = x[r * n + i];
      for (let j = 0; j <= i; j++) a[i * n + j] += xi * x[r * n + j];
    }
  for (let i = 0; i < n; i++) {
    a[i * n + i] += 1e-6;
    for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  }
  return a;
}

/** gramLike(n) for n in SIZES, built once (O(n³) in JavaScript) and shared by the ISA levels. */
const gramCache = new Map<number, Float64Array>();
function cachedGram(n: number): Float64Array {
  if (!gramCache.has(n)) gramCache.set(n, gramLike(n, new Random(100 + n)));
  return gramCache.get(n)!;
}

/** max_c ‖A x_c − b_c‖∞ / (‖A‖∞ ‖x_c‖∞) for x, b [n, m]. */
function residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, m: number): number {
  let normA = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(a[i * n + j]);
    normA = Math.max(normA, s);
  }
  let worst = 0;
  for (let c = 0; c < m; c++) {
    let r = 0;
    let normX = 0;
    for (let i = 0; i < n; i++) {
      let s = -b[i * m + c];
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j * m + c];
      r = Math.max(r, Math.abs(s));
      normX = Math.max(normX, Math.abs(x[i * m + c]));
    }
    worst = Math.max(worst, r / (normA * normX));
  }
  return worst;
}

function solveTs(a: Float64Array, n: number, b: Float64Array, m: number) {
  const l = a.slice();
  const x = b.slice();
  const failure = choleskyInPlace(l, n);
  if (failure === null) choleskySolveInPlace(l, n, x, m);
  return { l, x, failure };
}

function solveNative(a: Float64Array, n: number, b: Float64Array | null, m: number) {
  const l = a.slice();
  const x = b === null ? null : b.slice();
  const failure = kernels.cholesky({ n, a: l, m, b: x });
  return { l, x, failure };
}

describe.each(ISAS)('esnCholesky at isa %s', (isa) => {
  const use = () => backend.setIsa(isa);

  it('factorises like choleskyInPlace and leaves the strict upper triangle alone', () => {
    use();
    const rng = new Random(1);
    for (const n of SIZES) {
      const a = dominant(n, rng);
      const ts = solveTs(a, n, new Float64Array(0), 0);
      const ours = solveNative(a, n, null, 0);
      expect(ours.failure, `n=${n}`).toBeNull();
      let scale = 0;
      for (const v of ts.l) scale = Math.max(scale, Math.abs(v));
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) worst = Math.max(worst, Math.abs(ours.l[i * n + j] - ts.l[i * n + j]));
        for (let j = i + 1; j < n; j++) if (ours.l[i * n + j] !== a[i * n + j]) throw new Error(`n=${n}: upper entry (${i}, ${j}) changed`);
      }
      expect(worst / scale, `n=${n}`).toBeLessThanOrEqual(1e-13);
    }
  });

  it('solves L Lᵀ X = B with a residual below 4n·ε of ‖A‖‖x‖, for well and badly conditioned A', () => {
    use();
    const rng = new Random(2);
    for (const n of SIZES) {
      for (const [kind, a] of [['dominant', dominant(n, rng)], ['gram', cachedGram(n)]] as const) {
        const m = n % 3 === 0 ? 1 : 3;
        const b = Float64Array.from({ length: n * m }, () => rng.normal()); // [n, m]
        const ours = solveNative(a, n, b, m);
        expect(ours.failure, `${kind} n=${n}`).toBeNull();
        const bound = 4 * n * Number.EPSILON;
        expect(residual(a, n, ours.x!, b, m), `${kind} n=${n}`).toBeLessThanOrEqual(bound);
        const ts = solveTs(a, n, b, m);
        expect(residual(a, n, ts.x, b, m), `TypeScript ${kind} n=${n}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('reports the same failing pivot as choleskyInPlace for indefinite matrices, and leaves b alone', () => {
    use();
    const rng = new Random(3);
    const n = 300;
    const base = dominant(n, rng);
    const l = base.slice();
    expect(choleskyInPlace(l, n)).toBeNull();
    // Lowering A_kk by 1.5 L_kk² turns pivot k into −0.5 L_kk² and leaves the earlier ones.
    for (const k of [0, 5, 31, 32, 63, 64, 127, 128, 129, 160, 255, 256, 299]) {
      const a = base.slice();
      a[k * n + k] -= 1.5 * l[k * n + k] ** 2;
      const b = Float64Array.from({ length: n * 2 }, () => rng.normal());
      const ts = solveTs(a, n, b, 2);
      const ours = solveNative(a, n, b, 2);
      expect(ts.failure?.index).toBe(k);
      expect(ours.failure?.index, `k=${k}`).toBe(k);
      expect(Math.abs(ours.failure!.pivot - ts.failure!.pivot) / Math.abs(ts.failure!.pivot)).toBeLessThanOrEqual(1e-12);
      expect(Array.from(ours.x!)).toEqual(Array.from(b));
    }
  });

  it('reports a zero, a negative and a NaN pivot like choleskyInPlace', () => {
    use();
    const rng = new Random(4);
    const cases: [string, Float64Array, number, number][] = [['zeros', new Float64Array(70 * 70), 70, 0], ['negative diagonal', Float64Array.from([-1]), 1, 0]];
    // A NaN below the diagonal at (200, 10): row 200 becomes NaN, and pivot 200 is the first to fail.
    const withNaN = dominant(300, rng);
    withNaN[200 * 300 + 10] = NaN;
    cases.push(['NaN', withNaN, 300, 200]);
    // Exactly singular: A = L₀ D L₀ᵀ with L₀ unit lower triangular with entries in {−1, 0, 1} and
    // D = I except D_150 = 0. Every intermediate value is a small integer, so both factorisations
    // are exact: L = L₀ and pivot 150 is exactly 0.
    const n0 = 200;
    const l0 = new Float64Array(n0 * n0); // [n0, n0]
    for (let i = 0; i < n0; i++) {
      l0[i * n0 + i] = 1;
      for (let j = 0; j < i; j++) l0[i * n0 + j] = Math.floor(rng.uniform() * 3) - 1;
    }
    const g = new Float64Array(n0 * n0); // [n0, n0]
    for (let i = 0; i < n0; i++)
      for (let j = 0; j < n0; j++)
        for (let p = 0; p <= Math.min(i, j); p++) if (p !== 150) g[i * n0 + j] += l0[i * n0 + p] * l0[j * n0 + p];
    cases.push(['exactly singular', g, n0, 150]);
    for (const [name, a, n, index] of cases) {
      const ts = solveTs(a, n, new Float64Array(n), 1);
      const ours = solveNative(a, n, new Float64Array(n), 1);
      expect(ts.failure?.index, name).toBe(index);
      expect(ours.failure?.index, name).toBe(index);
      if (Number.isNaN(ts.failure!.pivot)) expect(ours.failure!.pivot, name).toBeNaN();
      else expect(ours.failure!.pivot, name).toBe(ts.failure!.pivot); // 0 or −1: exact in both
    }
  });
});

describe('esnCholesky on the thread pool', () => {
  it('gives bit-identical factors and solutions for 1, 2 and 3 threads', () => {
    const rng = new Random(5);
    const n = 1000; // block steps of 128 columns: the panels and updates are split over threads
    const a = cachedGram(n);
    const b = Float64Array.from({ length: n * 2 }, () => rng.normal());
    const run = (threads: number) => {
      backend.setThreads(threads);
      return solveNative(a, n, b, 2);
    };
    const one = run(1);
    for (const threads of [2, 3]) {
      const other = run(threads);
      expect(other.l.every((v, i) => Object.is(v, one.l[i])), `threads=${threads}`).toBe(true);
      expect(Array.from(other.x!)).toEqual(Array.from(one.x!));
    }
    backend.setThreads(backend.binding.defaultThreads);
  });
});

describe('esnCholesky wired into RidgeAccumulator.solve', () => {
  afterAll(() => setEsnKernels(null));

  it('fits the same readout as the TypeScript solve, and reports a singular system the same way', () => {
    const rng = new Random(6);
    const d = 150;
    const rows = 400;
    const X = new Float64Array(rows * d); // [rows, d] bias column 0
    const Y = new Float64Array(rows * 2); // [rows, 2]
    for (let r = 0; r < rows; r++) {
      X[r * d] = 1;
      for (let j = 1; j < d; j++) X[r * d + j] = 0.5 + 0.1 * rng.normal();
      Y[r * 2] = rng.normal();
      Y[r * 2 + 1] = X[r * d + 3] - 2 * X[r * d + 9];
    }
    const fit = () => {
      const acc = new RidgeAccumulator(d, 2, 0);
      acc.add(X, Y, rows);
      return acc.solve({ ridge: 1e-6 });
    };
    setEsnKernels(null);
    const ts = fit();
    setEsnKernels(kernels);
    const ours = fit();
    for (let i = 0; i < ts.length; i++) expect(Math.abs(ours[i] - ts[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(ts[i])));

    const singular = new RidgeAccumulator(3, 1, -1);
    singular.add(new Float64Array([1, 0, 2, 3, 0, 1]), new Float64Array([1, 2]), 2); // feature 1 is always 0
    expect(() => singular.solve({ ridge: 0 })).toThrow(SingularSystemError);
    expect(() => singular.solve({ ridge: 0 })).toThrow(/pivot 0\.000e\+0 at feature 1/);
  });
});

describe('esnCholesky rejects malformed calls with a JavaScript error', () => {
  const b = backend.binding as typeof backend.binding & { esnCholesky(args: unknown): unknown };
  const good = () => ({ n: 3, a: dominant(3, new Random(7)), m: 2, b: new Float64Array(6) });

  it('names what was expected and what came', () => {
    const shared = new Float64Array(20);
    const bad: [string, unknown, RegExp][] = [
      ['no object', undefined, /esnCholesky: expected 1 argument|esnCholesky: args/],
      ['n fractional', { ...good(), n: 2.5 }, /esnCholesky: n: expected an integer in \[0, 2\^31\), got number 2\.5/],
      ['n negative', { ...good(), n: -3 }, /esnCholesky: n: expected an integer in \[0, 2\^31\), got number -3/],
      ['n string', { ...good(), n: '3' }, /esnCholesky: n: expected a non-negative integer/],
      ['m missing', { ...good(), m: undefined }, /esnCholesky: m: expected a non-negative integer/],
      ['a length', { ...good(), a: new Float64Array(8) }, /esnCholesky: a: expected a Float64Array of length 9 \[3, 3\], got Float64Array of length 8/],
      ['a float32', { ...good(), a: new Float32Array(9) }, /esnCholesky: a: expected a Float64Array of length 9/],
      ['a missing', { ...good(), a: null }, /esnCholesky: a: expected a Float64Array/],
      ['b length', { ...good(), b: new Float64Array(5) }, /esnCholesky: b: expected a Float64Array of length 6 \[3, 2\]/],
      ['a and b shared', { ...good(), a: shared.subarray(0, 9), b: shared.subarray(8, 14) }, /esnCholesky: a and b must not share memory/],
      ['SharedArrayBuffer', { ...good(), a: new Float64Array(new SharedArrayBuffer(72)) }, /SharedArrayBuffer/],
      ['too large', { ...good(), n: 2 ** 30 }, /esnCholesky: a is too large \(more than 2\^32 elements\)/],
    ];
    for (const [name, args, message] of bad) expect(() => (args === undefined ? (b.esnCholesky as () => unknown)() : b.esnCholesky(args)), name).toThrow(message);
    const detached = good();
    structuredClone(detached.a.buffer, { transfer: [detached.a.buffer as ArrayBuffer] });
    expect(() => b.esnCholesky(detached)).toThrow(/esnCholesky: a is backed by a detached ArrayBuffer/);
    const detachedB = good();
    structuredClone(detachedB.b.buffer, { transfer: [detachedB.b.buffer as ArrayBuffer] });
    expect(() => b.esnCholesky(detachedB)).toThrow(/esnCholesky: b is backed by a detached ArrayBuffer/);
    const ok = good();
    ok.b.fill(1);
    expect(b.esnCholesky(ok)).toBeNull(); // still works after all of the above
    expect(ok.b.every(Number.isFinite)).toBe(true);
    expect(b.esnCholesky({ n: 0, a: new Float64Array(0), m: 0, b: null })).toBeNull();
  });
});
