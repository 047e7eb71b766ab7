/**
 * Spectral radius of a large sparse non-symmetric matrix by the Krylov–Schur method
 * (Stewart 2001), a thick-restarted Arnoldi iteration equivalent to ARPACK's implicitly
 * restarted Arnoldi: the Krylov decomposition A V = V H + v bᵀ is extended by Arnoldi steps
 * (classical Gram–Schmidt, reorthogonalised), the Ritz values of H are computed by dense
 * Hessenberg QR, and the basis is compressed onto the invariant subspace of H belonging to the
 * largest-modulus Ritz values. A plain power iteration would oscillate forever when the
 * dominant eigenvalue is a complex pair; Arnoldi sees the pair directly.
 *
 * Convergence is declared when the dominant Ritz pair's residual ‖A z − θ z‖ (measured on
 * the actual vectors, not only estimated from H) is below `tolerance · |θ|`.
 */
import { csrMatVec, type CsrMatrix } from './csr.js';
import { checkCsr } from './csr.js';
import { denseEigenvalues, denseSpectralRadius } from './linalg/hessenberg-qr.js';
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

    // Thick restart: keep the invariant subspace of the ~m/2 largest-modulus Ritz values.
    let keep = Math.max(2, Math.floor(m / 2));
    const lastKept = order[keep - 1];
    if (ev.im[lastKept] !== 0 && keep < size) keep++; // never split a conjugate pair
    const basis = new Float64Array(keep * m); // [keep, m] orthonormal rows spanning the subspace
    let rank = 0;
    for (let idx = 0; idx < keep && rank < keep; idx++) {
      const e = order[idx];
      if (ev.im[e] < 0) continue; // the pair is represented by its positive-imaginary member
      const vec = eigenvectorFor(Hm, m, ev.re[e], ev.im[e]);
      rank = appendOrthonormal(basis, m, rank, vec.re);
      if (ev.im[e] > 0 && rank < keep) rank = appendOrthonormal(basis, m, rank, vec.im);
    }
    // Fill up with the negative-imaginary members whose partner was not among the kept ones.
    if (rank < 1) throw new Error('spectralRadius: restart basis is empty');
    const newV = new Float64Array(rank * n); // [rank, n]
    for (let r = 0; r < rank; r++) {
      const dst = newV.subarray(r * n, (r + 1) * n);
      for (let j = 0; j < m; j++) {
        const q = basis[r * m + j];
        if (q === 0) continue;
        const vj = V.subarray(j * n, (j + 1) * n);
        for (let t = 0; t < n; t++) dst[t] += q * vj[t];
      }
    }
    // S = Qᵀ Hm Q [rank, rank]; b = beta Q[m-1, :]
    const HQ = new Float64Array(m * rank); // [m, rank]
    for (let i = 0; i < m; i++) {
      for (let r = 0; r < rank; r++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += Hm[i * m + j] * basis[r * m + j];
        HQ[i * rank + r] = s;
      }
    }
    const vLast = V.slice(m * n, (m + 1) * n); // [n] residual direction
    H.fill(0);
    for (let r1 = 0; r1 < rank; r1++) {
      for (let r2 = 0; r2 < rank; r2++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += basis[r1 * m + i] * HQ[i * rank + r2];
        H[r1 * m + r2] = s;
      }
    }
    for (let r = 0; r < rank; r++) H[rank * m + r] = betaLast * basis[r * m + (m - 1)];
    V.fill(0);
    V.set(newV, 0);
    V.set(vLast, rank * n);
    kept = rank;
  }
  if (last) return last;
  throw new Error(
    `spectralRadius: Krylov–Schur did not converge in ${maxRestarts} restarts (n = ${n}); raise maxRestarts or krylovDimension, or loosen tolerance`,
  );
}

function denseResult(a: CsrMatrix): SpectralRadiusResult {
  const n = a.rows;
  const dense = new Float64Array(n * n); // [n, n]
  for (let i = 0; i < n; i++) for (let k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) dense[i * n + a.colIndex[k]] = a.values[k];
  const ev = denseEigenvalues(dense, n);
  let best = 0;
  for (let i = 1; i < n; i++) if (Math.hypot(ev.re[i], ev.im[i]) > Math.hypot(ev.re[best], ev.im[best])) best = i;
  void denseSpectralRadius;
  return { radius: Math.hypot(ev.re[best], ev.im[best]), eigenvalue: { re: ev.re[best], im: ev.im[best] }, matVecs: 0, restarts: 0, residual: 0 };
}

function l2(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Gram–Schmidt (twice) of `v` [m] against basis rows 0..rank-1; appends it if independent. */
function appendOrthonormal(basis: Float64Array, m: number, rank: number, v: Float64Array): number {
  const u = Float64Array.from(v); // [m]
  const n0 = l2(u);
  for (let pass = 0; pass < 2; pass++) {
    for (let r = 0; r < rank; r++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += basis[r * m + j] * u[j];
      for (let j = 0; j < m; j++) u[j] -= s * basis[r * m + j];
    }
  }
  const nu = l2(u);
  if (nu <= 1e-10 * n0) return rank;
  for (let j = 0; j < m; j++) basis[rank * m + j] = u[j] / nu;
  return rank + 1;
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
