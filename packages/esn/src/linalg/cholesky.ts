/** Cholesky factorisation A = L Lᵀ of a symmetric positive definite matrix, and its solves. */

export interface CholeskyFailure {
  /** Index of the first pivot that was not safely positive. */
  index: number;
  pivot: number;
}

/**
 * Factorises `a` [n, n] in place into its lower triangle L (the strict upper triangle is left
 * untouched). Returns null on success, or the failing pivot when A is not numerically
 * positive definite: a pivot ≤ 4ε·A_jj has lost every significant digit of its column (the
 * test is per column so that it does not depend on how the features are scaled).
 */
export function choleskyInPlace(a: Float64Array, n: number): CholeskyFailure | null {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const ajj = a[rowJ + j];
    let d = ajj;
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 4 * Number.EPSILON * Math.abs(ajj))) return { index: j, pivot: d };
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    // Column j below the diagonal: four rows at a time share each load of row j.
    let i = j + 1;
    for (; i + 4 <= n; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let s0 = a[r0 + j], s1 = a[r1 + j], s2 = a[r2 + j], s3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const ljk = a[rowJ + k];
        s0 -= a[r0 + k] * ljk;
        s1 -= a[r1 + k] * ljk;
        s2 -= a[r2 + k] * ljk;
        s3 -= a[r3 + k] * ljk;
      }
      a[r0 + j] = s0 / ljj;
      a[r1 + j] = s1 / ljj;
      a[r2 + j] = s2 / ljj;
      a[r3 + j] = s3 / ljj;
    }
    for (; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / ljj;
    }
  }
  return null;
}

/** Solves L Lᵀ X = B in place for B [n, m] given the factor from `choleskyInPlace`. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c];
      const row = i * n;
      for (let k = 0; k < i; k++) s -= l[row + k] * b[k * m + c];
      b[i * m + c] = s / l[row + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * m + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k * m + c];
      b[i * m + c] = s / l[i * n + i];
    }
  }
}
