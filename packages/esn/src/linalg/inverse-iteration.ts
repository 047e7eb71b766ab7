/**
 * Eigenvector of a small dense real matrix for a known (possibly complex) eigenvalue, by
 * inverse iteration: solve (A − λI) y = b with complex LU and partial pivoting, twice.
 */

export interface ComplexVector {
  re: Float64Array; // [n]
  im: Float64Array; // [n]
}

/** Unit-norm y with A y ≈ λ y, λ = lambdaRe + i lambdaIm; `a` is [n, n] row-major. */
export function eigenvectorFor(a: ArrayLike<number>, n: number, lambdaRe: number, lambdaIm: number): ComplexVector {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  // A tiny perturbation of the shift keeps the LU non-singular; inverse iteration still converges.
  const eps = 1e-13 * Math.max(scale, 1e-300);
  const mRe = new Float64Array(n * n); // [n, n]
  const mIm = new Float64Array(n * n); // [n, n]
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      mRe[i * n + j] = a[i * n + j];
      mIm[i * n + j] = 0;
    }
    mRe[i * n + i] -= lambdaRe + eps;
    mIm[i * n + i] -= lambdaIm;
  }
  const pivot = new Int32Array(n); // [n]
  for (let k = 0; k < n; k++) {
    let best = k;
    let bestAbs = -1;
    for (let i = k; i < n; i++) {
      const v = Math.hypot(mRe[i * n + k], mIm[i * n + k]);
      if (v > bestAbs) {
        bestAbs = v;
        best = i;
      }
    }
    pivot[k] = best;
    if (best !== k) {
      for (let j = 0; j < n; j++) {
        let t = mRe[k * n + j];
        mRe[k * n + j] = mRe[best * n + j];
        mRe[best * n + j] = t;
        t = mIm[k * n + j];
        mIm[k * n + j] = mIm[best * n + j];
        mIm[best * n + j] = t;
      }
    }
    if (bestAbs === 0) {
      mRe[k * n + k] = eps; // exactly singular: any tiny pivot gives the null direction
    }
    const pr = mRe[k * n + k];
    const pi = mIm[k * n + k];
    const d = pr * pr + pi * pi;
    for (let i = k + 1; i < n; i++) {
      // l = m[i,k] / pivot
      const ar = mRe[i * n + k];
      const ai = mIm[i * n + k];
      const lr = (ar * pr + ai * pi) / d;
      const li = (ai * pr - ar * pi) / d;
      mRe[i * n + k] = lr;
      mIm[i * n + k] = li;
      for (let j = k + 1; j < n; j++) {
        const br = mRe[k * n + j];
        const bi = mIm[k * n + j];
        mRe[i * n + j] -= lr * br - li * bi;
        mIm[i * n + j] -= lr * bi + li * br;
      }
    }
  }
  const yr = new Float64Array(n).fill(1); // [n]
  const yi = new Float64Array(n); // [n]
  for (let sweep = 0; sweep < 2; sweep++) {
    // forward substitution with the row swaps, then back substitution
    for (let k = 0; k < n; k++) {
      const p = pivot[k];
      if (p !== k) {
        let t = yr[k];
        yr[k] = yr[p];
        yr[p] = t;
        t = yi[k];
        yi[k] = yi[p];
        yi[p] = t;
      }
      for (let i = k + 1; i < n; i++) {
        const lr = mRe[i * n + k];
        const li = mIm[i * n + k];
        yr[i] -= lr * yr[k] - li * yi[k];
        yi[i] -= lr * yi[k] + li * yr[k];
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      let sr = yr[i];
      let si = yi[i];
      for (let j = i + 1; j < n; j++) {
        const ar = mRe[i * n + j];
        const ai = mIm[i * n + j];
        sr -= ar * yr[j] - ai * yi[j];
        si -= ar * yi[j] + ai * yr[j];
      }
      const pr = mRe[i * n + i];
      const pi = mIm[i * n + i];
      const d = pr * pr + pi * pi;
      yr[i] = (sr * pr + si * pi) / d;
      yi[i] = (si * pr - sr * pi) / d;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += yr[i] * yr[i] + yi[i] * yi[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) {
      yr[i] /= norm;
      yi[i] /= norm;
    }
  }
  return { re: yr, im: yi };
}
