import type { FloatArray } from '../../dtype.js';

/**
 * The register-blocked inner part of the blocked GEMM. 4×3 accumulators: 12 locals plus the
 * 3 B values and one A value are 16 live doubles, x64's count of float registers; on this
 * project's machine 4×3 and 3×4 ran ~7.2 GFLOP/s in L1, 4×4 ~6.3 and 2×4 or 4×2 ~5.7. The k
 * loop is innermost and reads only the packed float64 panels, so V8 sees one element type.
 */

/**
 * tile[r*NR + c] = Σ_p ap[aOff + p*MR + r] · bp[bOff + p*NR + c] for p < kc.
 */
export function microKernel4x3(
  kc: number,
  ap: Float64Array, // [kc, MR] from aOff
  aOff: number,
  bp: Float64Array, // [kc, NR] from bOff
  bOff: number,
  tile: Float64Array, // [MR, NR]
): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  let c20 = 0, c21 = 0, c22 = 0;
  let c30 = 0, c31 = 0, c32 = 0;
  let ai = aOff;
  let bi = bOff;
  for (let p = 0; p < kc; p++) {
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2];
    let a = ap[ai];
    c00 += a * b0; c01 += a * b1; c02 += a * b2;
    a = ap[ai + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2;
    a = ap[ai + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2;
    a = ap[ai + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2;
    // Literals, not the imported MR/NR: V8 reloads module bindings on every use.
    ai += 4;
    bi += 3;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02;
  tile[3] = c10; tile[4] = c11; tile[5] = c12;
  tile[6] = c20; tile[7] = c21; tile[8] = c22;
  tile[9] = c30; tile[10] = c31; tile[11] = c32;
}

/**
 * Writes the valid mr×nr corner of a tile into C at (i0, j0):
 * C = alpha·tile + beta·C on the first k block (beta = 0 overwrites, even NaN), C += alpha·tile after.
 */
export function writeTile(
  tile: Float64Array, // [MR, NR]
  mr: number,
  nr: number,
  alpha: number,
  beta: number,
  first: boolean,
  c: FloatArray, // [M, N]
  N: number,
  i0: number,
  j0: number,
): void {
  for (let r = 0; r < mr; r++) {
    const row = (i0 + r) * N + j0;
    const t = r * 3; // r * NR
    if (!first) {
      for (let q = 0; q < nr; q++) c[row + q] += alpha * tile[t + q];
    } else if (beta === 0) {
      for (let q = 0; q < nr; q++) c[row + q] = alpha * tile[t + q];
    } else {
      for (let q = 0; q < nr; q++) c[row + q] = alpha * tile[t + q] + beta * c[row + q];
    }
  }
}

/**
 * One packed block: C[i0 : i0+mc, j0 : j0+nc] (+)= alpha · Apacked · Bpacked over kc.
 * Loops B micro-panels outside so each (kc·NR) panel stays in L1 while all A panels pass.
 */
export function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  ap: Float64Array, // [ceil(mc/MR), kc, MR]
  bp: Float64Array, // [ceil(nc/NR), kc, NR] from bOff
  bOff: number,
  tile: Float64Array, // [MR, NR] scratch
  alpha: number,
  beta: number,
  first: boolean,
  c: FloatArray, // [M, N]
  N: number,
  i0: number,
  j0: number,
): void {
  // Panel offsets advance by additions so they stay small integers (a division would make
  // them doubles and cost a conversion on every indexed load in the kernel).
  // MR = 4 and NR = 3 as literals: V8 reloads module bindings on every use.
  const aStride = kc * 4;
  const bStride = kc * 3;
  let bPanel = bOff;
  for (let jr = 0; jr < nc; jr += 3) {
    const nr = Math.min(3, nc - jr);
    let aPanel = 0;
    for (let ir = 0; ir < mc; ir += 4) {
      const mr = Math.min(4, mc - ir);
      microKernel4x3(kc, ap, aPanel, bp, bPanel, tile);
      writeTile(tile, mr, nr, alpha, beta, first, c, N, i0 + ir, j0 + jr);
      aPanel += aStride;
    }
    bPanel += bStride;
  }
}
