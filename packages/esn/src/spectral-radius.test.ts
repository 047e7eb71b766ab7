import { describe, expect, it } from 'vitest';
import { Random } from '@recurrent/core';
import { csrFromDense, csrMatVec, csrScaled, csrToDense } from './csr.js';
import { randomSparseMatrix } from './init.js';
import { denseEigenvalues, denseSpectralRadius } from './linalg/hessenberg-qr.js';
import { dominantEigenvalue, spectralRadius } from './spectral-radius.js';
import { complexProduct, determinant, matMul } from './test-helpers/dense.js';

function randomDense(n: number, rng: Random): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

/** P D P⁻¹ with D block diagonal: known eigenvalues (2×2 blocks give complex pairs). */
function similarTo(blocks: Float64Array, n: number, rng: Random): Float64Array {
  // P = I + 0.3·random keeps P well conditioned; P⁻¹ computed column by column.
  const P = randomDense(n, rng).map((v, i) => 0.3 * v + (i % (n + 1) === 0 ? 1 : 0));
  const inv = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    // Solve P x = e_c by elimination (dense, small n).
    const A = Float64Array.from(P);
    const x = new Float64Array(n);
    x[c] = 1;
    for (let k = 0; k < n; k++) {
      let p = k;
      for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
      for (let j = 0; j < n; j++) [A[k * n + j], A[p * n + j]] = [A[p * n + j], A[k * n + j]];
      [x[k], x[p]] = [x[p], x[k]];
      for (let i = k + 1; i < n; i++) {
        const l = A[i * n + k] / A[k * n + k];
        for (let j = k; j < n; j++) A[i * n + j] -= l * A[k * n + j];
        x[i] -= l * x[k];
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let k = i + 1; k < n; k++) s -= A[i * n + k] * x[k];
      x[i] = s / A[i * n + i];
    }
    for (let i = 0; i < n; i++) inv[i * n + c] = x[i];
  }
  return matMul(matMul(P, blocks, n, n, n), inv, n, n, n);
}

function sortedByModulus(re: ArrayLike<number>, im: ArrayLike<number>): Array<[number, number]> {
  return Array.from(re, (r, i) => [r, im[i]] as [number, number]).sort((a, b) => Math.hypot(b[0], b[1]) - Math.hypot(a[0], a[1]) || b[1] - a[1]);
}

describe('dense eigenvalues (Hessenberg QR)', () => {
  it('recovers known eigenvalues of a similarity-transformed block matrix, complex pairs included', () => {
    const n = 8;
    const known: Array<[number, number]> = [
      [0.9 * Math.cos(1), 0.9 * Math.sin(1)],
      [0.9 * Math.cos(1), -0.9 * Math.sin(1)],
      [-0.7, 0],
      [0.5 * Math.cos(2.5), 0.5 * Math.sin(2.5)],
      [0.5 * Math.cos(2.5), -0.5 * Math.sin(2.5)],
      [0.3, 0],
      [-0.2, 0],
      [0.1, 0],
    ];
    const D = new Float64Array(n * n);
    // rotation-scaling blocks [[r cos, −r sin], [r sin, r cos]] at (0,1) and (3,4)
    for (const [k, r, th] of [[0, 0.9, 1], [3, 0.5, 2.5]] as const) {
      D[k * n + k] = r * Math.cos(th);
      D[k * n + k + 1] = -r * Math.sin(th);
      D[(k + 1) * n + k] = r * Math.sin(th);
      D[(k + 1) * n + k + 1] = r * Math.cos(th);
    }
    D[2 * n + 2] = -0.7;
    D[5 * n + 5] = 0.3;
    D[6 * n + 6] = -0.2;
    D[7 * n + 7] = 0.1;
    const A = similarTo(D, n, new Random(3));
    const got = sortedByModulus(denseEigenvalues(A, n).re, denseEigenvalues(A, n).im);
    const want = sortedByModulus(known.map((k) => k[0]), known.map((k) => k[1]));
    for (let i = 0; i < n; i++) {
      expect(got[i][0]).toBeCloseTo(want[i][0], 10);
      expect(got[i][1]).toBeCloseTo(want[i][1], 10);
    }
    expect(denseSpectralRadius(A, n)).toBeCloseTo(0.9, 12);
  });

  it('satisfies trace, trace of A² and determinant identities on random matrices', () => {
    const rng = new Random(11);
    for (const n of [5, 17, 40]) {
      const A = randomDense(n, rng);
      const { re, im } = denseEigenvalues(A, n);
      let tr = 0;
      let tr2 = 0;
      const A2 = matMul(A, A, n, n, n);
      for (let i = 0; i < n; i++) {
        tr += A[i * n + i];
        tr2 += A2[i * n + i];
      }
      let sum = 0;
      let sumIm = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        sum += re[i];
        sumIm += im[i];
        sumSq += re[i] * re[i] - im[i] * im[i];
      }
      expect(sum).toBeCloseTo(tr, 9);
      expect(sumIm).toBeCloseTo(0, 9);
      expect(sumSq).toBeCloseTo(tr2, 8);
      const prod = complexProduct(re, im);
      const det = determinant(A, n);
      expect(Math.abs(prod.re - det)).toBeLessThan(1e-9 * Math.max(1, Math.abs(det)));
      expect(Math.abs(prod.im)).toBeLessThan(1e-9 * Math.max(1, Math.abs(det)));
    }
  });
});

describe('spectralRadius (implicitly restarted Arnoldi)', () => {
  it('matches the dense eigenvalue computation on random sparse matrices of each distribution', () => {
    for (const [n, density, dist, seed] of [
      [150, 0.05, 'normal', 1],
      [200, 0.03, 'uniform', 2],
      [300, 0.02, 'bimodal', 3],
    ] as const) {
      const W = randomSparseMatrix(n, density, dist, new Random(seed));
      const dense = denseSpectralRadius(csrToDense(W), n);
      const result = dominantEigenvalue(W, { denseBelow: 0 });
      expect(result.matVecs).toBeGreaterThan(0); // the sparse path really ran
      expect(Math.abs(result.radius - dense) / dense).toBeLessThan(1e-8);
    }
  });

  it('finds a dominant complex pair where power iteration cannot converge', () => {
    // A non-normal 2×2 block [[0.6, −2], [0.5, 0.6]] (eigenvalues 0.6 ± i, modulus √1.36)
    // beside a random sparse part of radius ~0.5: the dominant eigenvalues are a complex pair,
    // so the power iterates keep rotating and their norm ratio never settles.
    const n = 120;
    const rng = new Random(5);
    const R = csrToDense(csrScaled(randomSparseMatrix(n, 0.05, 'normal', rng), 0.05));
    for (let i = 0; i < n; i++) R[i] = R[n + i] = R[i * n] = R[i * n + 1] = 0; // decouple the block
    R[0] = 0.6;
    R[1] = -2;
    R[n] = 0.5;
    R[n + 1] = 0.6;
    const W = csrFromDense(R, n, n);
    const exact = Math.sqrt(1.36);
    expect(denseSpectralRadius(R, n)).toBeCloseTo(exact, 12);
    const result = dominantEigenvalue(W, { denseBelow: 0 });
    expect(Math.abs(result.radius - exact)).toBeLessThan(1e-9);
    expect(Math.abs(result.eigenvalue.im)).toBeCloseTo(1, 8);
    let x = new Float64Array(n).fill(1);
    const y = new Float64Array(n);
    const ratios: number[] = [];
    for (let k = 0; k < 200; k++) {
      csrMatVec(W, x, y);
      const ny = Math.hypot(...y);
      const nx = Math.hypot(...x);
      ratios.push(ny / nx);
      x = y.map((v) => v / ny);
    }
    const tail = ratios.slice(-20);
    expect(Math.max(...tail) - Math.min(...tail)).toBeGreaterThan(0.1);
  });

  it('returns 0 for the zero matrix and uses the dense path below the threshold', () => {
    expect(spectralRadius(csrFromDense(new Float64Array(100 * 100), 100, 100), { denseBelow: 0 })).toBe(0);
    const small = randomSparseMatrix(30, 0.2, 'normal', new Random(1));
    expect(dominantEigenvalue(small).matVecs).toBe(0);
    expect(spectralRadius(small)).toBeCloseTo(denseSpectralRadius(csrToDense(small), 30), 12);
  });

  it('rejects non-square matrices and reports non-convergence instead of a wrong radius', () => {
    const a = csrFromDense(new Float64Array(6), 2, 3);
    expect(() => spectralRadius(a)).toThrow(/square, got 2x3/);
    const W = randomSparseMatrix(400, 0.02, 'normal', new Random(8));
    expect(() => spectralRadius(W, { denseBelow: 0, krylovDimension: 8, maxRestarts: 1, tolerance: 1e-14 })).toThrow(
      /did not converge in 1 restarts \(n = 400\).*raise maxRestarts or krylovDimension/,
    );
  });
});
