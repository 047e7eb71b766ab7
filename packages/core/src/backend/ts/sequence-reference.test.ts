import { describe, expect, it } from 'vitest';
import type { SequenceForwardArgs } from '../contract.js';
import { sequenceForward } from './sequence.js';
import { CELL_CASES, randomCase, relativeError } from './sequence-testkit.js';

/**
 * The forward of every cell against a direct, scalar transcription of the formulas in
 * contract.ts (one sample, one unit at a time, no GEMM), in float64. The fixtures cover the
 * PyTorch and ONNX forms; this covers the rest (Greff variants, full gate recurrence, MGU) and
 * pins the orientation of R: z_i,f,o[r] += Σ_c R[r, c] a_prev[c].
 */

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Σ_k W[row, k] v[k] + bias[row] for W [rows, K]. */
function affine(W: ArrayLike<number>, K: number, row: number, v: ArrayLike<number>, bias: ArrayLike<number> | null): number {
  let s = bias === null ? 0 : bias[row];
  for (let k = 0; k < K; k++) s += W[row * K + k] * v[k];
  return s;
}

function referenceForward(a: SequenceForwardArgs): { y: number[]; hN: number[]; cN: number[] | null } {
  const { T, B, I, H, cell, x, weights: w, reverse } = a;
  const y = new Array<number>(T * B * H).fill(0);
  const hN: number[] = [];
  const cN: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = Array.from(a.h0.subarray(b * H, (b + 1) * H));
    let c = a.c0 === null ? [] : Array.from(a.c0.subarray(b * H, (b + 1) * H));
    let act = new Array<number>(3 * H).fill(0); // previous [i, f, o], zero before the first step
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const xt = x.subarray((t * B + b) * I, (t * B + b + 1) * I);
      // Gate pre-activation of row r, input and hidden sides.
      const zx = (r: number) => affine(w.wIh, I, r, xt, w.bIh);
      const zh = (r: number, v: ArrayLike<number>) => affine(w.wHh, H, r, v, w.bHh);
      const next = new Array<number>(H);
      if (cell.kind === 'rnn') {
        for (let j = 0; j < H; j++) {
          const z = zx(j) + zh(j, h);
          next[j] = cell.activation === 'tanh' ? Math.tanh(z) : cell.activation === 'relu' ? Math.max(0, z) : sigmoid(z);
        }
      } else if (cell.kind === 'lstm') {
        const v = cell.variant;
        const rec = (r: number) => (v.fullGateRecurrence ? affine(w.wGateRec!, 3 * H, r, act, null) : 0);
        const p = (k: number, j: number) => (v.peephole ? w.wPeep![k * H + j] : 0);
        const cNew = new Array<number>(H);
        const nextAct = new Array<number>(3 * H);
        for (let j = 0; j < H; j++) {
          const i = v.noInputGate ? 1 : sigmoid(zx(j) + zh(j, h) + rec(j) + p(0, j) * c[j]);
          const f = v.coupled ? 1 - i : v.noForgetGate ? 1 : sigmoid(zx(H + j) + zh(H + j, h) + rec(H + j) + p(1, j) * c[j]);
          const zg = zx(2 * H + j) + zh(2 * H + j, h);
          const g = v.noInputActivation ? zg : Math.tanh(zg);
          cNew[j] = f * c[j] + i * g;
          const o = v.noOutputGate ? 1 : sigmoid(zx(3 * H + j) + zh(3 * H + j, h) + rec(2 * H + j) + p(2, j) * cNew[j]);
          next[j] = o * (v.noOutputActivation ? cNew[j] : Math.tanh(cNew[j]));
          nextAct[j] = i;
          nextAct[H + j] = f;
          nextAct[2 * H + j] = o;
        }
        c = cNew;
        act = nextAct;
      } else if (cell.kind === 'gru') {
        const r = h.map((_, j) => sigmoid(zx(j) + zh(j, h)));
        const z = h.map((_, j) => sigmoid(zx(H + j) + zh(H + j, h)));
        const rh = h.map((hj, j) => r[j] * hj);
        for (let j = 0; j < H; j++) {
          const n = cell.resetAfter ? Math.tanh(zx(2 * H + j) + r[j] * zh(2 * H + j, h)) : Math.tanh(zx(2 * H + j) + zh(2 * H + j, rh));
          next[j] = (1 - z[j]) * n + z[j] * h[j];
        }
      } else {
        const f = h.map((_, j) => sigmoid(zx(j) + zh(j, h)));
        const fh = h.map((hj, j) => f[j] * hj);
        for (let j = 0; j < H; j++) {
          const n = Math.tanh(zx(H + j) + zh(H + j, fh));
          next[j] = (1 - f[j]) * h[j] + f[j] * n;
        }
      }
      h = next;
      for (let j = 0; j < H; j++) y[(t * B + b) * H + j] = h[j];
    }
    hN.push(...h);
    cN.push(...c);
  }
  return { y, hN, cN: a.c0 === null ? null : cN };
}


describe('sequenceForward follows the contract formulas', () => {
  CELL_CASES.forEach(([name, cell], k) => {
    for (const reverse of [false, true]) {
      it(`${name}${reverse ? ', reverse' : ''}`, () => {
        const args = randomCase(cell, { T: 5, B: 3, I: 4, H: 5, bias: k % 2 === 0, reverse, seed: 500 + k });
        const ours = sequenceForward(args);
        const ref = referenceForward(args);
        expect(relativeError(ours.y, ref.y)).toBeLessThan(1e-13);
        expect(relativeError(ours.hN, ref.hN)).toBeLessThan(1e-13);
        if (ref.cN !== null) expect(relativeError(ours.cN!, ref.cN)).toBeLessThan(1e-13);
      });
    }
  });
});
