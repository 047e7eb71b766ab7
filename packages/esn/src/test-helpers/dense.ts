/** Direct dense float64 reference computations used by the tests. */

/** Solves A x = B (A [n, n], B [n, m]) by Gaussian elimination with partial pivoting. */
export function solveDense(a: ArrayLike<number>, n: number, b: ArrayLike<number>, m: number): Float64Array {
  const A = Float64Array.from(a); // [n, n]
  const X = Float64Array.from(b); // [n, m]
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [A[k * n + j], A[p * n + j]] = [A[p * n + j], A[k * n + j]];
      for (let j = 0; j < m; j++) [X[k * m + j], X[p * m + j]] = [X[p * m + j], X[k * m + j]];
    }
    for (let i = k + 1; i < n; i++) {
      const l = A[i * n + k] / A[k * n + k];
      for (let j = k; j < n; j++) A[i * n + j] -= l * A[k * n + j];
      for (let j = 0; j < m; j++) X[i * m + j] -= l * X[k * m + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = 0; j < m; j++) {
      let s = X[i * m + j];
      for (let k = i + 1; k < n; k++) s -= A[i * n + k] * X[k * m + j];
      X[i * m + j] = s / A[i * n + i];
    }
  }
  return X;
}

/** Determinant by LU with partial pivoting. */
export function determinant(a: ArrayLike<number>, n: number): number {
  const A = Float64Array.from(a);
  let det = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
    if (A[p * n + k] === 0) return 0;
    if (p !== k) {
      for (let j = 0; j < n; j++) [A[k * n + j], A[p * n + j]] = [A[p * n + j], A[k * n + j]];
      det = -det;
    }
    det *= A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const l = A[i * n + k] / A[k * n + k];
      for (let j = k; j < n; j++) A[i * n + j] -= l * A[k * n + j];
    }
  }
  return det;
}

/** C = A B for A [n, k], B [k, m]. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * k + p] * b[p * m + j];
  return c;
}

/** Product of complex numbers given as (re, im) arrays. */
export function complexProduct(re: ArrayLike<number>, im: ArrayLike<number>): { re: number; im: number } {
  let pr = 1;
  let pi = 0;
  for (let i = 0; i < re.length; i++) [pr, pi] = [pr * re[i] - pi * im[i], pr * im[i] + pi * re[i]];
  return { re: pr, im: pi };
}
