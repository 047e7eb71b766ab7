import { describe, expect, it } from 'vitest';
import { Random } from '@recurrent/core';
import { RidgeAccumulator } from './ridge.js';
import { SingularSystemError, NotFittedError } from './errors.js';
import { solveDense } from './test-helpers/dense.js';

/** Rows [T, D] with a constant-1 first column and correlated, offset features. */
function features(T: number, d: number, rng: Random): Float64Array {
  const X = new Float64Array(T * d);
  for (let t = 0; t < T; t++) {
    X[t * d] = 1;
    const common = rng.normal();
    for (let i = 1; i < d; i++) X[t * d + i] = 0.5 + 0.3 * common + rng.normal() * (0.1 + i / d);
  }
  return X;
}

/** Direct float64 solve of (XᵀX + λR) W = XᵀY from the full data. */
function directRidge(X: Float64Array, Y: Float64Array, T: number, d: number, no: number, ridge: number, regularizeBias: boolean): Float64Array {
  const G = new Float64Array(d * d);
  const C = new Float64Array(d * no);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) G[i * d + j] += X[t * d + i] * X[t * d + j];
      for (let o = 0; o < no; o++) C[i * no + o] += X[t * d + i] * Y[t * no + o];
    }
  }
  for (let i = 0; i < d; i++) if (i !== 0 || regularizeBias) G[i * d + i] += ridge;
  const sol = solveDense(G, d, C, no); // [D, O]
  const w = new Float64Array(no * d);
  for (let o = 0; o < no; o++) for (let i = 0; i < d; i++) w[o * d + i] = sol[i * no + o];
  return w;
}

describe('RidgeAccumulator', () => {
  const rng = new Random(7);
  const T = 1000;
  const d = 37; // not a multiple of the 4×4 tile
  const no = 3;
  const X = features(T, d, rng);
  const Y = new Float64Array(T * no);
  for (let t = 0; t < T; t++) for (let o = 0; o < no; o++) Y[t * no + o] = Math.sin(t * 0.01 * (o + 1)) + 2 * o + 0.1 * rng.normal();

  for (const regularizeBias of [false, true]) {
    for (const ridge of [1e-6, 1e-1, 10]) {
      it(`matches a direct float64 solve (ridge ${ridge}, regularizeBias ${regularizeBias}), fed in uneven blocks`, () => {
        const acc = new RidgeAccumulator(d, no);
        // Blocks of 1, 130 (crosses the internal block of 128) and the rest.
        for (const [a, b] of [[0, 1], [1, 131], [131, T]]) acc.add(X.subarray(a * d, b * d), Y.subarray(a * no, b * no), b - a);
        const w = acc.solve({ ridge, regularizeBias });
        const ref = directRidge(X, Y, T, d, no, ridge, regularizeBias);
        let maxErr = 0;
        let maxRef = 0;
        for (let i = 0; i < w.length; i++) {
          maxErr = Math.max(maxErr, Math.abs(w[i] - ref[i]));
          maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        expect(maxErr / maxRef).toBeLessThan(1e-9);
      });
    }
  }

  it('leaves the bias unpenalised by default: a constant shift of the targets moves only the bias', () => {
    const solveWith = (shift: number): Float64Array => {
      const acc = new RidgeAccumulator(d, 1);
      const y = new Float64Array(T);
      for (let t = 0; t < T; t++) y[t] = Y[t * no] + shift;
      acc.add(X, y, T);
      return acc.solve({ ridge: 5 });
    };
    const a = solveWith(0);
    const b = solveWith(100);
    expect(b[0] - a[0]).toBeCloseTo(100, 8);
    for (let i = 1; i < d; i++) expect(b[i]).toBeCloseTo(a[i], 8);
  });

  it('explains a singular system and suggests a larger ridge', () => {
    const acc = new RidgeAccumulator(4, 1);
    const Xs = new Float64Array(50 * 4);
    const ys = new Float64Array(50);
    for (let t = 0; t < 50; t++) {
      Xs[t * 4] = 1;
      Xs[t * 4 + 1] = t;
      Xs[t * 4 + 2] = 2 * t; // linearly dependent on feature 1
      Xs[t * 4 + 3] = Math.sin(t);
      ys[t] = t;
    }
    acc.add(Xs, ys, 50);
    expect(() => acc.solve({ ridge: 0 })).toThrow(SingularSystemError);
    expect(() => acc.solve({ ridge: 0 })).toThrow(/singular.*linearly dependent.*Use a larger ridge \(e\.g\. \d/s);
    expect(() => acc.solve({ ridge: 1e-3 })).not.toThrow();
  });

  it('rejects a negative or non-finite ridge and an empty accumulator', () => {
    const acc = new RidgeAccumulator(3, 1);
    expect(() => acc.solve()).toThrow(NotFittedError);
    acc.add(new Float64Array([1, 2, 3, 1, 5, 7, 1, 0, 1, 1, 4, 4]), new Float64Array([1, 2, 3, 4]), 4);
    expect(() => acc.solve({ ridge: -1 })).toThrow(/ridge must be a finite number in \[0, Infinity\), got -1/);
    expect(() => acc.solve({ ridge: NaN })).toThrow(/ridge/);
    expect(() => acc.add(new Float64Array(5), new Float64Array(4), 4)).toThrow(/X has 5 values, expected rows\*width = 4\*3/);
  });
});
