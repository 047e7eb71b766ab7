import { afterEach, describe, expect, it } from 'vitest';
import { Random } from '@recurrent/core';
import { csrToDense } from './csr.js';
import { randomSparseMatrix } from './init.js';
import { accumulateGramTs, choleskySolve, choleskySolveTs, harvestTs, setEsnKernels, type EsnKernels, getEsnKernels } from './kernels.js';
import { SingularSystemError } from './errors.js';
import { RidgeAccumulator } from './ridge.js';

describe('harvestTs', () => {
  it('computes the leaky state update with input, bias, feedback and noise like the dense formula', () => {
    const rng = new Random(2);
    const n = 23;
    const ni = 2;
    const no = 3;
    const T = 9;
    const W = randomSparseMatrix(n, 0.2, 'normal', rng);
    const Wd = csrToDense(W);
    const rand = (len: number): Float64Array => Float64Array.from({ length: len }, () => rng.normal());
    const Win = rand(n * ni);
    const bias = rand(n);
    const Wfb = rand(n * no);
    const inputs = rand(T * ni);
    const feedback = rand(T * no);
    const noise = rand(T * n).map((v) => 1e-3 * v);
    const x0 = rand(n).map((v) => 0.1 * v);
    for (const [activation, f] of [
      ['tanh', Math.tanh],
      ['sigmoid', (s: number) => 1 / (1 + Math.exp(-s))],
      ['relu', (s: number) => Math.max(0, s)],
      ['identity', (s: number) => s],
    ] as const) {
      const leakRate = 0.3;
      const state = Float64Array.from(x0);
      const states = new Float64Array(T * n);
      harvestTs({ steps: T, units: n, W, inputWidth: ni, inputs, Win, bias, feedbackWidth: no, feedback, Wfb, noise, leakRate, activation, state, states });
      let x = Float64Array.from(x0);
      for (let t = 0; t < T; t++) {
        const next = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = bias[i] + noise[t * n + i];
          for (let j = 0; j < n; j++) s += Wd[i * n + j] * x[j];
          for (let j = 0; j < ni; j++) s += Win[i * ni + j] * inputs[t * ni + j];
          for (let j = 0; j < no; j++) s += Wfb[i * no + j] * feedback[t * no + j];
          next[i] = (1 - leakRate) * x[i] + leakRate * f(s);
        }
        for (let i = 0; i < n; i++) expect(states[t * n + i]).toBeCloseTo(next[i], 13);
        x = next;
      }
      for (let i = 0; i < n; i++) expect(state[i]).toBe(states[(T - 1) * n + i]);
    }
  });
});

describe('accumulateGramTs', () => {
  it('accumulates the upper triangle of XᵀX and XᵀY for sizes off the tile and block grid', () => {
    const rng = new Random(4);
    for (const [rows, d, no] of [[1, 1, 1], [7, 5, 2], [300, 13, 1], [129, 8, 3]]) {
      const X = Float64Array.from({ length: rows * d }, () => rng.normal());
      const Y = Float64Array.from({ length: rows * no }, () => rng.normal());
      const gram = new Float64Array(d * d);
      const xty = new Float64Array(d * no);
      accumulateGramTs({ rows, width: d, outputs: no, X, Y, gram, xty });
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += X[r * d + i] * X[r * d + j];
          expect(gram[i * d + j]).toBeCloseTo(s, 11);
        }
        for (let o = 0; o < no; o++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += X[r * d + i] * Y[r * no + o];
          expect(xty[i * no + o]).toBeCloseTo(s, 11);
        }
      }
    }
  });
});

describe('kernel registry', () => {
  afterEach(() => setEsnKernels(null));

  it('routes to installed kernels and falls back to TypeScript when they decline', () => {
    const calls: string[] = [];
    const declining: EsnKernels = {
      name: 'declining',
      harvest: () => (calls.push('harvest'), false),
      accumulateGram: () => (calls.push('gram'), false),
    };
    setEsnKernels(declining);
    expect(getEsnKernels()?.name).toBe('declining');
    const acc = new RidgeAccumulator(2, 1);
    acc.add(new Float64Array([1, 1, 1, 2, 1, 3]), new Float64Array([1, 2, 3]), 3);
    expect(calls).toEqual(['gram']);
    const w = acc.solve({ ridge: 0 });
    expect(w[0]).toBeCloseTo(0, 12);
    expect(w[1]).toBeCloseTo(1, 12);
  });

  it('routes the ridge solve to an installed cholesky kernel, and to TypeScript when it declines or is absent', () => {
    const calls: string[] = [];
    const base = { harvest: () => false, accumulateGram: () => false };
    const fit = () => {
      const acc = new RidgeAccumulator(2, 1);
      acc.add(new Float64Array([1, 1, 1, 2, 1, 3]), new Float64Array([1, 2, 3]), 3);
      return acc.solve({ ridge: 0 });
    };
    setEsnKernels({ ...base, name: 'declining', cholesky: () => (calls.push('declined'), false) });
    const declined = fit();
    setEsnKernels({ ...base, name: 'solving', cholesky: (args) => (calls.push(`solved n=${args.n} m=${args.m}`), choleskySolveTs(args)) });
    const solved = fit();
    setEsnKernels({ ...base, name: 'without cholesky' });
    const absent = fit();
    expect(calls).toEqual(['declined', 'solved n=2 m=1']);
    for (const w of [declined, solved, absent]) {
      expect(w[0]).toBeCloseTo(0, 12);
      expect(w[1]).toBeCloseTo(1, 12);
    }
    setEsnKernels({ ...base, name: 'failing', cholesky: () => ({ index: 1, pivot: -2 }) });
    expect(fit).toThrow(SingularSystemError);
    expect(fit).toThrow(/pivot -2\.000e\+0 at feature 1/);
  });

  it('choleskySolve without kernels factorises and solves like the TypeScript functions', () => {
    const a = new Float64Array([4, 2, 2, 5]); // [2, 2]
    const b = new Float64Array([2, 1, 3, 3]); // [2, 2]
    expect(choleskySolve({ n: 2, a, m: 2, b })).toBeNull();
    expect(Array.from(a)).toEqual([2, 2, 1, 2]); // L in the lower triangle, the upper entry untouched
    // A X = B: X = [[1/4, −1/16], [1/2, 5/8]]
    for (const [i, v] of [0.25, -0.0625, 0.5, 0.625].entries()) expect(b[i]).toBeCloseTo(v, 15);
    expect(choleskySolve({ n: 2, a: new Float64Array([1, 2, 2, 1]), m: 0, b: null })).toEqual({ index: 1, pivot: -3 });
  });
});
