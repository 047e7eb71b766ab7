/**
 * Spectral radius of a large sparse non-symmetric matrix by the
 * implicitly restarted Arnoldi method (Sorensen 1992; the algorithm of ARPACK, which SciPy's
 * `eigs` calls): the Arnoldi decomposition A V = V H + f eᵀ is extended by Arnoldi steps
 * (classical Gram–Schmidt, reorthogonalised), the Ritz values of H are computed by dense
 * Hessenberg QR, and the unwanted (smallest-modulus) Ritz values are applied as exact shifts
 * to compress the decomposition onto the largest-modulus part. A plain power iteration would oscillate forever when the
 * dominant eigenvalue is a complex pair; Arnoldi sees the pair directly.
 *
 * Convergence is declared when the dominant Ritz pair's residual ‖A z − θ z‖ (measured on
 * the actual vectors, not only estimated from H) is below `tolerance · |θ|`.
 */
import { checkCsr, csrMatVec, type CsrMatrix } from './csr.js';
import { denseEigenvalues } from './linalg/hessenberg-qr.js';
import { eigenvectorFor } from './linalg/inverse-iteration.js';
import { Random } from './random.js';

export interface SpectralRadiusOptions {
  /** Relative residual tolerance of the dominant Ritz pair (default 1e-10). */
  tolerance?: number;
  /** Krylov subspace dimension m (default min(n, 60)). */
  krylovDimension?: number;
  /** Maximum number of restarts (default 500). */
  maxRestarts?: number;
  /** Seed of the random start vector (default 0). */
  seed?: number;
  /** Matrices with n at most this size are solved densely (default 64). */
  denseBelow?: number;
}

export interface SpectralRadiusResult {
  radius: number;
  /** The dominant eigenvalue found (one of the pair when complex). */
  eigenvalue: { re: number; im: number };
  matVecs: number;
  restarts: number;
  residual: number;
}

export function spectralRadius(a: CsrMatrix, options: SpectralRadiusOptions = {}): number {
  return dominantEigenvalue(a, options).radius;
}

export function dominantEigenvalue(a: CsrMatrix, options: SpectralRadiusOptions = {}): SpectralRadiusResult {
  checkCsr('spectralRadius', a);
  if (a.rows !== a.cols) throw new RangeError(`spectralRadius: matrix must be square, got ${a.rows}x${a.cols}`);
  const n = a.rows;
  const tol = options.tolerance ?? 1e-10;
  const denseBelow = options.denseBelow ?? 64;
  if (n === 0) return { radius: 0, eigenvalue: { re: 0, im: 0 }, matVecs: 0, restarts: 0, residual: 0 };
  if (n <= denseBelow) return denseResult(a);

  const m = Math.min(options.krylovDimension ?? 60, n - 1);
  const maxRestarts = options.maxRestarts ?? 500;
  const rng = new Random(options.seed ?? 0);

  let frob = 0;
  for (let k = 0; k < a.values.length; k++) frob += a.values[k] * a.values[k];
  frob = Math.sqrt(frob);
  if (frob === 0) return { radius: 0, eigenvalue: { re: 0, im: 0 }, matVecs: 0, restarts: 0, residual: 0 };

  const V = new Float64Array((m + 1) * n); // [m+1, n] basis vectors as rows
  const H = new Float64Array((m + 1) * m); // [m+1, m] Krylov decomposition matrix
  const w = new Float64Array(n); // [n]
  const coef = new Float64Array(m + 1); // [m+1]
  let matVecs = 0;

  // v0: random unit vector
  let norm = 0;
  for (let i = 0; i < n; i++) {
    V[i] = rng.normal();
    norm += V[i] * V[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) V[i] /= norm;

  let kept = 0;
  let last: SpectralRadiusResult | null = null;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    // Extend the decomposition from `kept` to m columns.
    let size = m;
    for (let j = kept; j < m; j++) {
      csrMatVec(a, V.subarray(j * n, (j + 1) * n), w);
      matVecs++;
      const wNorm0 = l2(w);
      coef.fill(0);
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) {
          const vi = V.subarray(i * n, (i + 1) * n);
          let s = 0;
          for (let t = 0; t < n; t++) s += vi[t] * w[t];
          coef[i] += s;
          for (let t = 0; t < n; t++) w[t] -= s * vi[t];
        }
      }
      for (let i = 0; i <= j; i++) H[i * m + j] = coef[i];
      const beta = l2(w);
      if (beta <= 1e-14 * Math.max(wNorm0, frob)) {
        // Invariant subspace: the Ritz values of H[0..j] are exact eigenvalues of A.
        H[(j + 1) * m + j] = 0;
        size = j + 1;
        break;
      }
      H[(j + 1) * m + j] = beta;
      const vNext = V.subarray((j + 1) * n, (j + 2) * n);
      for (let t = 0; t < n; t++) vNext[t] = w[t] / beta;
    }

    const Hm = new Float64Array(size * size); // [size, size]
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) Hm[i * size + j] = H[i * m + j];
    const ev = denseEigenvalues(Hm, size);
    const order = Array.from({ length: size }, (_, i) => i).sort(
      (x, y) => Math.hypot(ev.re[y], ev.im[y]) - Math.hypot(ev.re[x], ev.im[x]) || ev.im[y] - ev.im[x],
    );
    const top = order[0];
    const theta = { re: ev.re[top], im: ev.im[top] };
    const thetaAbs = Math.hypot(theta.re, theta.im);
    const y = eigenvectorFor(Hm, size, theta.re, theta.im);
    const betaLast = size === m ? H[m * m + (m - 1)] : 0;
    const estimate = Math.abs(betaLast) * Math.hypot(y.re[size - 1], y.im[size - 1]);
    if (estimate <= tol * Math.max(thetaAbs, 1e-14 * frob)) {
      const residual = trueResidual(a, V, n, size, y, theta);
      matVecs += 2;
      last = { radius: thetaAbs, eigenvalue: theta, matVecs, restarts: restart, residual };
      if (residual <= Math.max(10 * tol * thetaAbs, 1e-12 * frob) || size < m) return last;
    }
    if (size < m) return { radius: thetaAbs, eigenvalue: theta, matVecs, restarts: restart, residual: estimate };

    // Implicit restart with exact shifts (Sorensen 1992): the m − keep smallest-modulus Ritz
    // values are applied as shifted QR steps, which filters them out of the starting vector
    // while keeping an exact Arnoldi decomposition of length `keep`.
    let keep = Math.max(2, Math.floor(m / 2));
    if (ev.im[order[keep - 1]] !== 0 && ev.im[order[keep]] !== 0 && ev.re[order[keep - 1]] === ev.re[order[keep]]) keep++;
    const Q = new Float64Array(m * m); // [m, m] accumulated orthogonal transform
    for (let i = 0; i < m; i++) Q[i * m + i] = 1;
    for (let idx = keep; idx < m; idx++) {
      const e = order[idx];
      if (ev.im[e] < 0 && idx > keep) continue; // pair handled with its positive member
      if (ev.im[e] === 0) applyShift(Hm, Q, m, ev.re[e], 0, false);
      else applyShift(Hm, Q, m, ev.re[e], ev.im[e], true);
    }
    // f = V Q[:, keep] Ĥ[keep, keep−1] + v_m β Q[m−1, keep−1]
    const sub = Hm[keep * m + (keep - 1)];
    const tail = betaLast * Q[(m - 1) * m + (keep - 1)];
    const newV = new Float64Array((keep + 1) * n); // [keep+1, n]
    for (let c = 0; c <= keep; c++) {
      const dst = newV.subarray(c * n, (c + 1) * n);
      for (let j = 0; j < m; j++) {
        const q = Q[j * m + c];
        if (q === 0) continue;
        const vj = V.subarray(j * n, (j + 1) * n);
        for (let t = 0; t < n; t++) dst[t] += q * vj[t];
      }
    }
    const f = newV.subarray(keep * n, (keep + 1) * n);
    const vm = V.subarray(m * n, (m + 1) * n);
    for (let t = 0; t < n; t++) f[t] = f[t] * sub + vm[t] * tail;
    const fNorm = l2(f);
    H.fill(0);
    for (let i = 0; i < keep; i++) for (let j = 0; j < keep; j++) H[i * m + j] = Hm[i * m + j];
    V.fill(0);
    V.set(newV.subarray(0, keep * n), 0);
    if (fNorm <= 1e-14 * frob) {
      // The kept subspace is invariant: its Ritz values are exact eigenvalues.
      const Hk = new Float64Array(keep * keep); // [keep, keep]
      for (let i = 0; i < keep; i++) for (let j = 0; j < keep; j++) Hk[i * keep + j] = Hm[i * m + j];
      const evk = denseEigenvalues(Hk, keep);
      let best = 0;
      for (let i = 1; i < keep; i++) if (Math.hypot(evk.re[i], evk.im[i]) > Math.hypot(evk.re[best], evk.im[best])) best = i;
      return { radius: Math.hypot(evk.re[best], evk.im[best]), eigenvalue: { re: evk.re[best], im: evk.im[best] }, matVecs, restarts: restart, residual: 0 };
    }
    H[keep * m + (keep - 1)] = fNorm;
    const vk = V.subarray(keep * n, (keep + 1) * n);
    for (let t = 0; t < n; t++) vk[t] = f[t] / fNorm;
    kept = keep;
  }
  const lastNote = last === null ? '' : ` (last estimate ${last.radius}, residual ${last.residual.toExponential(2)})`;
  throw new Error(
    `spectralRadius: Arnoldi did not converge in ${maxRestarts} restarts (n = ${n})${lastNote}; raise maxRestarts or krylovDimension, or loosen tolerance`,
  );
}

function denseResult(a: CsrMatrix): SpectralRadiusResult {
  const n = a.rows;
  const dense = new Float64Array(n * n); // [n, n]
  for (let i = 0; i < n; i++) for (let k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) dense[i * n + a.colIndex[k]] = a.values[k];
  const ev = denseEigenvalues(dense, n);
  let best = 0;
  for (let i = 1; i < n; i++) if (Math.hypot(ev.re[i], ev.im[i]) > Math.hypot(ev.re[best], ev.im[best])) best = i;
  return { radius: Math.hypot(ev.re[best], ev.im[best]), eigenvalue: { re: ev.re[best], im: ev.im[best] }, matVecs: 0, restarts: 0, residual: 0 };
}

function l2(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * One explicit shifted QR step on H [m, m] (in place) with Q ← Q Qs: real shift μ uses
 * H − μI; a complex pair μ, μ̄ uses the real double shift H² − 2 Re(μ) H + |μ|² I.
 * H = Qsᵀ H Qs stays upper Hessenberg (entries below the subdiagonal are rounding noise and
 * are cleared).
 */
function applyShift(h: Float64Array, q: Float64Array, m: number, re: number, im: number, pair: boolean): void {
  const M = new Float64Array(m * m); // [m, m] shifted matrix, factorised in place
  if (!pair) {
    M.set(h);
    for (let i = 0; i < m; i++) M[i * m + i] -= re;
  } else {
    const s = 2 * re;
    const p = re * re + im * im;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let k = Math.max(0, i - 1); k <= Math.min(m - 1, j + 1); k++) acc += h[i * m + k] * h[k * m + j];
        M[i * m + j] = acc - s * h[i * m + j] + (i === j ? p : 0);
      }
    }
  }
  // Householder QR of M; each reflector P = I − τ v vᵀ is applied as H ← P H P, Q ← Q P.
  const bw = pair ? 2 : 1; // non-zeros below the diagonal of M
  const v = new Float64Array(m); // [m]
  for (let k = 0; k < m - 1; k++) {
    const last = Math.min(m - 1, k + bw);
    let alpha = 0;
    for (let i = k; i <= last; i++) alpha += M[i * m + k] * M[i * m + k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (M[k * m + k] > 0) alpha = -alpha;
    v.fill(0);
    let vv = 0;
    for (let i = k; i <= last; i++) {
      v[i] = M[i * m + k] - (i === k ? alpha : 0);
      vv += v[i] * v[i];
    }
    if (vv === 0) continue;
    const tau = 2 / vv;
    // M ← P M (columns k..m-1)
    for (let j = k; j < m; j++) {
      let s = 0;
      for (let i = k; i <= last; i++) s += v[i] * M[i * m + j];
      s *= tau;
      for (let i = k; i <= last; i++) M[i * m + j] -= s * v[i];
    }
    // H ← P H P
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = k; i <= last; i++) s += v[i] * h[i * m + j];
      s *= tau;
      for (let i = k; i <= last; i++) h[i * m + j] -= s * v[i];
    }
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = k; j <= last; j++) s += h[i * m + j] * v[j];
      s *= tau;
      for (let j = k; j <= last; j++) h[i * m + j] -= s * v[j];
    }
    // Q ← Q P
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = k; j <= last; j++) s += q[i * m + j] * v[j];
      s *= tau;
      for (let j = k; j <= last; j++) q[i * m + j] -= s * v[j];
    }
  }
  for (let i = 2; i < m; i++) for (let j = 0; j < i - 1; j++) h[i * m + j] = 0;
}

/** ‖A z − θ z‖ / ‖z‖ for the Ritz vector z = V y (complex). */
function trueResidual(
  a: CsrMatrix,
  V: Float64Array,
  n: number,
  size: number,
  y: { re: Float64Array; im: Float64Array },
  theta: { re: number; im: number },
): number {
  const zr = new Float64Array(n); // [n]
  const zi = new Float64Array(n); // [n]
  for (let j = 0; j < size; j++) {
    const vj = V.subarray(j * n, (j + 1) * n);
    for (let t = 0; t < n; t++) {
      zr[t] += y.re[j] * vj[t];
      zi[t] += y.im[j] * vj[t];
    }
  }
  const azr = new Float64Array(n); // [n]
  const azi = new Float64Array(n); // [n]
  csrMatVec(a, zr, azr);
  csrMatVec(a, zi, azi);
  let res = 0;
  let zn = 0;
  for (let t = 0; t < n; t++) {
    const rr = azr[t] - (theta.re * zr[t] - theta.im * zi[t]);
    const ri = azi[t] - (theta.re * zi[t] + theta.im * zr[t]);
    res += rr * rr + ri * ri;
    zn += zr[t] * zr[t] + zi[t] * zi[t];
  }
  return Math.sqrt(res / zn);
}
