import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../dtype.js';
import { ShapeError } from '../../errors.js';
import { Random } from '../../random.js';
import { gemm } from './gemm.js';
import { gemmPackedB, packGemmB } from './gemm-packed.js';
import { KC, MC, NC } from './gemm-pack.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** C = alpha op(A) op(B) + beta C by the definition, in float64, reading whatever dtype came. */
function naiveGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray,
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(M * N); // [M, N]
  const magnitude = new Float64Array(M * N); // [M, N]  Σ|terms|, the scale of rounding error
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const t = (transA ? a[k * M + i] : a[i * K + k]) * (transB ? b[j * K + k] : b[k * N + j]);
        s += t;
        m += Math.abs(t);
      }
      const prior = beta === 0 ? 0 : beta * c[i * N + j];
      value[i * N + j] = alpha * s + prior;
      magnitude[i * N + j] = Math.abs(alpha) * m + Math.abs(prior);
    }
  }
  return { value, magnitude };
}

function randomArray(Arr: Ctor, n: number, rng: Random): FloatArray {
  const out = new Arr(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniformRange(-1, 1);
  return out;
}

/**
 * Float64: sums in another order differ by a few ulps of Σ|terms|. Float32: gemm sums each
 * block of KC products in float64 and rounds into C once per block, so at most ceil(K/KC)
 * roundings of a partial sum (a float32 running sum would allow K of them).
 */
function expectClose(got: FloatArray, want: { value: Float64Array; magnitude: Float64Array }, Arr: Ctor, K: number, what: string): void {
  const f32 = Arr === Float32Array;
  const rel = f32 ? 2 ** -23 : 1e-14;
  const perMagnitude = f32 ? Math.max(1, Math.ceil(K / KC)) * 2 ** -24 : 1e-14;
  for (let i = 0; i < want.value.length; i++) {
    const err = Math.abs(got[i] - want.value[i]);
    const tol = rel * Math.abs(want.value[i]) + perMagnitude * want.magnitude[i] + 1e-300;
    if (!(err <= tol)) {
      throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want.value[i]} (error ${err}, tolerance ${tol})`);
    }
  }
}

const dtypes: [string, Ctor][] = [['float32', Float32Array], ['float64', Float64Array]];
const transCombos: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

describe('gemm', () => {
  // Odd sizes, sizes 1, and sizes that cross the K, M and N block edges of the packed path.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 7, 1], [5, 1, 3], [3, 5, 7], [7, 11, 13], [13, 5, 1], [4, 3, 9], [9, 10, 17],
    [MC + 3, 7, 5], [6, 5, KC + 45], [5, 2, 2 * KC + 1], [2, NC + 5, 3],
  ];
  for (const [dname, Arr] of dtypes) {
    for (const [transA, transB] of transCombos) {
      it(`${dname} transA=${transA} transB=${transB} matches the definition on odd and block-crossing sizes`, () => {
        const rng = new Random(17);
        for (const [M, N, K] of shapes) {
          for (const [alpha, beta] of [[1, 0], [1, 1], [-0.75, 0.5], [2.5, -1.25]] as const) {
            const a = randomArray(Arr, M * K, rng);
            const b = randomArray(Arr, K * N, rng);
            const c = randomArray(Arr, M * N, rng);
            const want = naiveGemm(transA, transB, M, N, K, alpha, a, b, beta, c);
            gemm({ transA, transB, M, N, K, alpha, a, b, beta, c });
            expectClose(c, want, Arr, K, `${dname} M${M} N${N} K${K} alpha ${alpha} beta ${beta}`);
          }
        }
      });
    }

    it(`${dname}: beta = 0 overwrites NaN and Infinity in C`, () => {
      const rng = new Random(3);
      for (const [M, N, K] of [[3, 5, 7], [1, 1, 1], [9, 4, KC + 1]] as const) {
        const a = randomArray(Arr, M * K, rng);
        const b = randomArray(Arr, K * N, rng);
        const c = new Arr(M * N).fill(NaN);
        c[0] = Infinity;
        const want = naiveGemm(false, false, M, N, K, 1.5, a, b, 0, c);
        gemm({ transA: false, transB: false, M, N, K, alpha: 1.5, a, b, beta: 0, c });
        expectClose(c, want, Arr, K, `${dname} beta 0 M${M} N${N} K${K}`);
      }
    });

    it(`${dname}: alpha = 0 or K = 0 gives beta C without reading A or B`, () => {
      const c = new Arr([1, -2, 3, NaN, 5, 6]);
      gemm({ transA: false, transB: false, M: 2, N: 3, K: 4, alpha: 0, a: new Arr(8).fill(NaN), b: new Arr(12).fill(NaN), beta: 2, c });
      expect(Array.from(c)).toEqual([2, -4, 6, NaN, 10, 12]);
      gemm({ transA: true, transB: true, M: 2, N: 3, K: 0, alpha: 1, a: new Arr(0), b: new Arr(0), beta: 0, c });
      expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
      c.fill(4);
      gemm({ transA: false, transB: false, M: 2, N: 3, K: 0, alpha: 3, a: new Arr(0), b: new Arr(0), beta: 1, c });
      expect(Array.from(c)).toEqual([4, 4, 4, 4, 4, 4]);
    });

    it(`${dname}: M = 0 or N = 0 leaves C untouched`, () => {
      const c = new Arr([7, 8]);
      gemm({ transA: false, transB: false, M: 0, N: 2, K: 3, alpha: 1, a: new Arr(0), b: new Arr(6), beta: 0, c });
      gemm({ transA: false, transB: false, M: 1, N: 0, K: 3, alpha: 1, a: new Arr(3), b: new Arr(0), beta: 0, c });
      expect(Array.from(c)).toEqual([7, 8]);
    });

    it(`${dname}: NaN in A or B propagates to the products it enters`, () => {
      const a = new Arr([1, 2, 3, 4]); // [2, 2]
      const b = new Arr([1, 0, 0, 1]); // [2, 2]
      a[1] = NaN;
      const c = new Arr(4);
      gemm({ transA: false, transB: false, M: 2, N: 2, K: 2, alpha: 1, a, b, beta: 0, c });
      expect(Number.isNaN(c[0]) && Number.isNaN(c[1])).toBe(true);
      expect(Array.from(c.subarray(2))).toEqual([3, 4]);
    });

    it(`${dname}: gemmPackedB matches gemm, with the packed B reused across calls`, () => {
      const rng = new Random(5);
      for (const [M, N, K] of [[7, 11, 13], [33, 10, KC + 9], [1, 1, 1], [MC + 1, 4, 3]] as const) {
        for (const transB of [false, true]) {
          const b = randomArray(Arr, K * N, rng);
          const packed = packGemmB(transB, K, N, b);
          for (const [transA, alpha, beta] of [[false, 1, 0], [true, -0.5, 1.5]] as const) {
            const a = randomArray(Arr, M * K, rng);
            const c = randomArray(Arr, M * N, rng);
            const want = naiveGemm(transA, transB, M, N, K, alpha, a, b, beta, c);
            gemmPackedB({ transA, M, alpha, a, b: packed, beta, c });
            expectClose(c, want, Arr, K, `${dname} packed M${M} N${N} K${K} transA ${transA} transB ${transB}`);
          }
        }
      }
    });
  }

  it('float32 sums within a k block in float64, not as a float32 running sum', () => {
    // 1 + KC terms of 2^-25: each term is below half an ulp of 1 in float32, so a float32
    // running sum would stay at 1; the float64 block sum gives 1 + KC·2^-25 exactly.
    const K = KC;
    const a = new Float32Array(K).fill(2 ** -12); // [1, K]
    const b = new Float32Array(K).fill(2 ** -13); // [K, 1]
    const c = new Float32Array([1]);
    gemm({ transA: false, transB: false, M: 1, N: 1, K, alpha: 1, a, b, beta: 1, c });
    expect(c[0]).toBe(1 + KC * 2 ** -25);
  });

  it('rejects buffers shorter than the stated shapes, naming both sizes', () => {
    const args = { transA: false, transB: true, M: 2, N: 3, K: 4, alpha: 1, a: new Float32Array(8), b: new Float32Array(12), beta: 0, c: new Float32Array(6) };
    expect(() => gemm({ ...args, a: new Float32Array(7) })).toThrow(new ShapeError('gemm: a has 7 elements, expected at least 8 for [2,4]'));
    expect(() => gemm({ ...args, b: new Float32Array(11) })).toThrow(/b has 11 elements, expected at least 12 for \[3,4\]/);
    expect(() => gemm({ ...args, c: new Float32Array(5) })).toThrow(/c has 5 elements, expected at least 6 for \[2,3\]/);
    expect(() => gemm({ ...args, K: -1 })).toThrow(/K must be a non-negative integer, got -1/);
    expect(() => packGemmB(false, 4, 3, new Float64Array(11))).toThrow(/b has 11 elements, expected at least 12/);
  });
});
