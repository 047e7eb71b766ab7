/**
 * Eigenvalues of a small dense real matrix: Householder reduction to upper Hessenberg form,
 * then the Francis double-shift QR iteration (the EISPACK `hqr` algorithm, as in Press et al.,
 * Numerical Recipes, §11.5–11.6). Complex eigenvalues come in conjugate pairs.
 */

export interface Eigenvalues {
  re: Float64Array; // [n]
  im: Float64Array; // [n]
}

/** Reduces `a` [n, n] (row-major, overwritten) to upper Hessenberg form by Householder reflections. */
export function reduceToHessenberg(a: Float64Array, n: number): void {
  const v = new Float64Array(n); // [n] Householder vector
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += a[i * n + k] * a[i * n + k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    const x0 = a[(k + 1) * n + k];
    if (x0 > 0) alpha = -alpha;
    // v = x - alpha e1, H = I - 2 v vᵀ / vᵀv
    let vnorm2 = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k];
      if (i === k + 1) v[i] -= alpha;
      vnorm2 += v[i] * v[i];
    }
    if (vnorm2 === 0) continue;
    const f = 2 / vnorm2;
    // A = H A (rows k+1..n-1)
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k + 1; i < n; i++) s += v[i] * a[i * n + j];
      s *= f;
      for (let i = k + 1; i < n; i++) a[i * n + j] -= s * v[i];
    }
    // A = A H (columns k+1..n-1)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j] * v[j];
      s *= f;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= s * v[j];
    }
    for (let i = k + 2; i < n; i++) a[i * n + k] = 0;
    a[(k + 1) * n + k] = alpha;
  }
}

/**
 * Eigenvalues of an upper Hessenberg matrix `h` [n, n] (row-major; destroyed) by the Francis
 * double-shift QR algorithm with exceptional shifts every 10 iterations.
 */
export function hessenbergEigenvalues(h: Float64Array, n: number, maxIterationsPerEigenvalue = 100): Eigenvalues {
  const wr = new Float64Array(n); // [n] real parts
  const wi = new Float64Array(n); // [n] imaginary parts
  // 1-based accessors keep the classic algorithm readable.
  const A = (i: number, j: number): number => h[(i - 1) * n + (j - 1)];
  const S = (i: number, j: number, v: number): void => {
    h[(i - 1) * n + (j - 1)] = v;
  };
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(A(i, j));
  let nn = n;
  let t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 1) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 2; l--) {
        s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(A(l, l - 1)) + s === s) {
          S(l, l - 1, 0);
          break;
        }
      }
      x = A(nn, nn);
      if (l === nn) {
        wr[nn - 1] = x + t;
        wi[nn - 1] = 0;
        nn--;
      } else {
        y = A(nn - 1, nn - 1);
        w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 2] = wr[nn - 1] = x + z;
            if (z !== 0) wr[nn - 1] = x - w / z;
            wi[nn - 2] = wi[nn - 1] = 0;
          } else {
            wr[nn - 2] = wr[nn - 1] = x + p;
            wi[nn - 2] = -z;
            wi[nn - 1] = z;
          }
          nn -= 2;
        } else {
          if (its === maxIterationsPerEigenvalue) {
            throw new Error(`hessenbergEigenvalues: no convergence after ${its} QR iterations (n = ${n})`);
          }
          if (its > 0 && its % 10 === 0) {
            // Exceptional shift to break cycles.
            t += x;
            for (let i = 1; i <= nn; i++) S(i, i, A(i, i) - x);
            s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = x - z;
            s = y - z;
            p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s;
            r = A(m + 2, m + 1);
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            S(i, i - 2, 0);
            if (i !== m + 2) S(i, i - 3, 0);
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = 0;
              if (k !== nn - 1) r = A(k + 2, k - 1);
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const root = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? root : -root;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) S(k, k - 1, -A(k, k - 1));
              } else S(k, k - 1, -s * x);
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = A(k, j) + q * A(k + 1, j);
                if (k !== nn - 1) {
                  p += r * A(k + 2, j);
                  S(k + 2, j, A(k + 2, j) - p * z);
                }
                S(k + 1, j, A(k + 1, j) - p * y);
                S(k, j, A(k, j) - p * x);
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * A(i, k) + y * A(i, k + 1);
                if (k !== nn - 1) {
                  p += z * A(i, k + 2);
                  S(i, k + 2, A(i, k + 2) - p * r);
                }
                S(i, k + 1, A(i, k + 1) - p * q);
                S(i, k, A(i, k) - p);
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re: wr, im: wi };
}

/** All eigenvalues of a dense real matrix `a` [n, n] (row-major; not modified). */
export function denseEigenvalues(a: ArrayLike<number>, n: number): Eigenvalues {
  if (a.length !== n * n) throw new RangeError(`denseEigenvalues: got ${a.length} values, expected n*n = ${n * n}`);
  const h = Float64Array.from(a); // [n, n]
  reduceToHessenberg(h, n);
  return hessenbergEigenvalues(h, n);
}

/** Largest eigenvalue modulus of a dense real matrix [n, n]. */
export function denseSpectralRadius(a: ArrayLike<number>, n: number): number {
  const { re, im } = denseEigenvalues(a, n);
  let rho = 0;
  for (let i = 0; i < n; i++) rho = Math.max(rho, Math.hypot(re[i], im[i]));
  return rho;
}
