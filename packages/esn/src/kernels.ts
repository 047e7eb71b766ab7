/**
 * The hot loops of an Echo State Network behind one small interface, so that a native
 * kernel can replace the TypeScript one without touching the model code:
 *
 * - `harvest`: T reservoir steps  x(t) = (1 − a) x(t−1) + a f(W x(t−1) + W_in u(t) + b
 *   + W_fb y(t−1) + ν(t)), writing every state; W is CSR, everything else dense.
 * - `accumulateGram`: G += Xᵀ X (upper triangle) and C += Xᵀ Y over a block of rows, the
 *   symmetric rank-k update the ridge readout needs.
 * - `cholesky` (optional): A = L Lᵀ in place and the solve L Lᵀ X = B, the ridge readout's
 *   linear solve, with the failure contract of `choleskyInPlace`.
 *
 * A backend registers its kernels with `setEsnKernels`; the model asks `getEsnKernels()`
 * once per call. The kernels take and return plain typed arrays (no objects with methods),
 * the form a Node-API addon can receive directly (the native addon's `nativeEsnKernels()`). A
 * kernel that cannot handle a case (for example a JavaScript activation function) returns false
 * and the TypeScript kernel runs instead.
 */
import type { CsrMatrix, FloatArray } from './csr.js';
import { choleskyInPlace, choleskySolveInPlace, type CholeskyFailure } from './linalg/cholesky.js';

export type BuiltinActivation = 'tanh' | 'sigmoid' | 'relu' | 'identity';
export const BUILTIN_ACTIVATIONS: readonly BuiltinActivation[] = ['tanh', 'sigmoid', 'relu', 'identity'];

export interface HarvestArgs {
  steps: number; // T
  units: number; // N
  W: CsrMatrix; // [N, N]
  inputWidth: number; // I
  inputs: FloatArray; // [T, I]
  Win: FloatArray; // [N, I]
  bias: FloatArray; // [N]
  feedbackWidth: number; // O (0 without feedback)
  feedback: FloatArray | null; // [T, O] the value fed back at step t (y(t−1))
  Wfb: FloatArray | null; // [N, O]
  noise: FloatArray | null; // [T, N] added inside the nonlinearity
  leakRate: number; // a in (0, 1]
  activation: BuiltinActivation | ((x: number) => number);
  state: FloatArray; // [N] in: x(−1); out: x(T−1)
  states: FloatArray; // [T, N] out
}

export interface GramArgs {
  rows: number; // R
  width: number; // D
  outputs: number; // O
  X: FloatArray; // [R, D]
  Y: FloatArray; // [R, O]
  gram: Float64Array; // [D, D] accumulated (upper triangle, i ≤ j)
  xty: Float64Array; // [D, O] accumulated
  /** [D] subtracted from every row of X before it is accumulated (absent or null: none). */
  shift?: Float64Array | null;
}

export interface CholeskyArgs {
  n: number; // N
  a: Float64Array; // [N, N] in: symmetric A (lower triangle and diagonal read); out: L in the lower triangle
  m: number; // M (0: factorise only)
  b: Float64Array | null; // [N, M] in: B; out: X with L Lᵀ X = B, when the factorisation succeeds
}

export interface EsnKernels {
  name: string;
  /** Returns false when it does not support the arguments (the caller falls back). */
  harvest(args: HarvestArgs): boolean;
  accumulateGram(args: GramArgs): boolean;
  /** null on success, the failing pivot as `choleskyInPlace` reports it, or false to decline. */
  cholesky?(args: CholeskyArgs): CholeskyFailure | null | false;
}

let active: EsnKernels | null = null;

/** Installs kernels (e.g. from the native addon); null restores the TypeScript ones. */
export function setEsnKernels(kernels: EsnKernels | null): void {
  active = kernels;
}

export function getEsnKernels(): EsnKernels | null {
  return active;
}

export function harvest(args: HarvestArgs): void {
  if (active !== null && active.harvest(args)) return;
  harvestTs(args);
}

export function accumulateGram(args: GramArgs): void {
  if (active !== null && active.accumulateGram(args)) return;
  accumulateGramTs(args);
}

/** Factorises A and solves L Lᵀ X = B in place; null on success, else the failing pivot. */
export function choleskySolve(args: CholeskyArgs): CholeskyFailure | null {
  if (active !== null && active.cholesky !== undefined) {
    const result = active.cholesky(args);
    if (result !== false) return result;
  }
  return choleskySolveTs(args);
}

// ---------------------------------------------------------------------------------------------
// TypeScript kernels

export function harvestTs(args: HarvestArgs): void {
  const { steps, units: n, W, inputWidth: ni, inputs, Win, bias, feedbackWidth: no, feedback, Wfb, noise, leakRate, activation, state, states } = args;
  const { rowStart, colIndex, values } = W;
  const keep = 1 - leakRate;
  const kind = typeof activation === 'function' ? -1 : BUILTIN_ACTIVATIONS.indexOf(activation);
  const x = state; // [N] updated in place: all pre-activations are computed before x changes
  const pre = scratch(n); // [N] W x + W_in u + b + W_fb y + ν
  const useFeedback = feedback !== null && Wfb !== null && no > 0;
  for (let t = 0; t < steps; t++) {
    const uOff = t * ni;
    const u0 = ni === 1 ? inputs[uOff] : 0;
    for (let i = 0; i < n; i++) {
      let s = bias[i];
      if (ni === 1) s += Win[i] * u0;
      else for (let j = 0, w = i * ni; j < ni; j++) s += Win[w + j] * inputs[uOff + j];
      const end = rowStart[i + 1];
      for (let k = rowStart[i]; k < end; k++) s += values[k] * x[colIndex[k]];
      pre[i] = s;
    }
    if (useFeedback) {
      const fbOff = t * no;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0, w = i * no; j < no; j++) s += Wfb![w + j] * feedback![fbOff + j];
        pre[i] += s;
      }
    }
    if (noise !== null) for (let i = 0, off = t * n; i < n; i++) pre[i] += noise[off + i];
    // x ← (1 − a) x + a f(pre), one loop per activation so each stays monomorphic.
    if (kind === 0) for (let i = 0; i < n; i++) x[i] = keep * x[i] + leakRate * Math.tanh(pre[i]);
    else if (kind === 1) for (let i = 0; i < n; i++) x[i] = keep * x[i] + leakRate / (1 + Math.exp(-pre[i]));
    else if (kind === 2) for (let i = 0; i < n; i++) x[i] = keep * x[i] + leakRate * (pre[i] > 0 ? pre[i] : 0);
    else if (kind === 3) for (let i = 0; i < n; i++) x[i] = keep * x[i] + leakRate * pre[i];
    else {
      const f = activation as (v: number) => number;
      for (let i = 0; i < n; i++) x[i] = keep * x[i] + leakRate * f(pre[i]);
    }
    states.set(x, t * n);
  }
}

/** The TypeScript path of `choleskySolve`: `choleskyInPlace`, then `choleskySolveInPlace`. */
export function choleskySolveTs(args: CholeskyArgs): CholeskyFailure | null {
  const { n, a, m, b } = args;
  const failure = choleskyInPlace(a, n);
  if (failure === null && b !== null && m > 0) choleskySolveInPlace(a, n, b, m);
  return failure;
}

let scratchBuffer = new Float64Array(0);
function scratch(n: number): Float64Array {
  if (scratchBuffer.length < n) scratchBuffer = new Float64Array(n); // [n]
  return scratchBuffer;
}

const GRAM_BLOCK = 128; // rows per transposed block: 128 · D · 8 bytes stays in L2 for D ≈ 1000

/**
 * G += Xᵀ X, C += Xᵀ Y. Each block of rows is transposed once so that every entry G[i][j]
 * becomes a dot product of two contiguous rows; a 4×4 register tile then reads 8 values for
 * 16 multiply-adds.
 */
export function accumulateGramTs(args: GramArgs): void {
  const { rows, width: d, outputs: no, X, Y, gram, xty } = args;
  const shift = args.shift ?? null;
  const xt = new Float64Array(d * GRAM_BLOCK); // [D, block] transposed rows
  for (let r0 = 0; r0 < rows; r0 += GRAM_BLOCK) {
    const b = Math.min(GRAM_BLOCK, rows - r0);
    for (let r = 0; r < b; r++) {
      const src = (r0 + r) * d;
      if (shift === null) for (let i = 0; i < d; i++) xt[i * GRAM_BLOCK + r] = X[src + i];
      else for (let i = 0; i < d; i++) xt[i * GRAM_BLOCK + r] = X[src + i] - shift[i];
    }
    syrkUpper(xt, d, b, gram);
    for (let i = 0; i < d; i++) {
      const xi = i * GRAM_BLOCK;
      for (let o = 0; o < no; o++) {
        let s = 0;
        for (let r = 0; r < b; r++) s += xt[xi + r] * Y[(r0 + r) * no + o];
        xty[i * no + o] += s;
      }
    }
  }
}

/** gram[i][j] += Σ_r xt[i][r] xt[j][r] for i ≤ j; xt rows have stride GRAM_BLOCK, b used. */
function syrkUpper(xt: Float64Array, d: number, b: number, gram: Float64Array): void {
  const S = GRAM_BLOCK;
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    const a0 = i * S, a1 = a0 + S, a2 = a1 + S, a3 = a2 + S;
    // j starts at i (diagonal tile computed whole; the lower part of it is ignored later).
    let j = i;
    for (; j + 4 <= d; j += 4) {
      const b0 = j * S, b1 = b0 + S, b2 = b1 + S, b3 = b2 + S;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let r = 0; r < b; r++) {
        const x0 = xt[a0 + r], x1 = xt[a1 + r], x2 = xt[a2 + r], x3 = xt[a3 + r];
        const y0 = xt[b0 + r], y1 = xt[b1 + r], y2 = xt[b2 + r], y3 = xt[b3 + r];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const g0 = i * d + j, g1 = g0 + d, g2 = g1 + d, g3 = g2 + d;
      gram[g0] += c00; gram[g0 + 1] += c01; gram[g0 + 2] += c02; gram[g0 + 3] += c03;
      gram[g1] += c10; gram[g1 + 1] += c11; gram[g1 + 2] += c12; gram[g1 + 3] += c13;
      gram[g2] += c20; gram[g2 + 1] += c21; gram[g2 + 2] += c22; gram[g2 + 3] += c23;
      gram[g3] += c30; gram[g3 + 1] += c31; gram[g3 + 2] += c32; gram[g3 + 3] += c33;
    }
    for (; j < d; j++) {
      const bj = j * S;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let r = 0; r < b; r++) {
        const y = xt[bj + r];
        c0 += xt[a0 + r] * y; c1 += xt[a1 + r] * y; c2 += xt[a2 + r] * y; c3 += xt[a3 + r] * y;
      }
      gram[i * d + j] += c0; gram[(i + 1) * d + j] += c1; gram[(i + 2) * d + j] += c2; gram[(i + 3) * d + j] += c3;
    }
  }
  for (; i < d; i++) {
    const ai = i * S;
    for (let j = i; j < d; j++) {
      const bj = j * S;
      let c = 0;
      for (let r = 0; r < b; r++) c += xt[ai + r] * xt[bj + r];
      gram[i * d + j] += c;
    }
  }
}
