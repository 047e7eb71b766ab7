import { allocFloat, dtypeOf, type FloatArray } from '../../dtype.js';
import type { SequenceBackwardArgs, SequenceForwardArgs, SequenceForwardResult, SequenceGrads } from '../contract.js';
import { gatedHiddenGrads } from './gated-hidden.js';
import { biasOrZero, biasSum, gradsFromGates, inputProjection, packWeight, prevHidden, stepProduct, timeAt, type TsCacheBase } from './sequence-common.js';
import { cellKey } from './sequence-validate.js';

/**
 * GRU, gate blocks r, z, n; h' = (1 − z) ⊙ n + z ⊙ h.
 * resetAfter (PyTorch, cuDNN): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), one recurrent GEMM per step.
 * reset before (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn), two per step.
 */

export interface GruCache extends TsCacheBase {
  readonly kind: 'gru';
  readonly y: FloatArray; // [T, B, H]
  readonly gates: FloatArray; // [T, B, 3H]  activations r, z, n
  /** resetAfter: W_hn h + b_hn; reset before: r ⊙ h (the input of W_hn). */
  readonly inner: FloatArray; // [T, B, H]
}

export function gruForward(args: SequenceForwardArgs, resetAfter: boolean): SequenceForwardResult {
  const { T, B, I, H, x, weights, h0, reverse, keepCache } = args;
  const dtype = dtypeOf(x);
  const BH = B * H;
  const G3 = 3 * H;
  const H2 = 2 * H;
  const gates = inputProjection(x, weights.wIh, T * B, I, G3, dtype); // [T, B, 3H]  x W_ihᵀ, overwritten by activations
  const bSum = biasSum(weights.bIh, weights.bHh, G3); // [3H]  used for r, z (and n when reset before)
  const bIh = biasOrZero(weights.bIh, G3); // [3H]
  const bHh = biasOrZero(weights.bHh, G3); // [3H]
  const y = allocFloat(dtype, T * BH); // [T, B, H]
  const inner = allocFloat(dtype, (keepCache ? T : 1) * BH); // [T or 1, B, H]
  // resetAfter: gh [B, 3H] = h W_hhᵀ. Reset before: gh [B, 2H] = h W_h{r,z}ᵀ, then ghn [B, H] = (r ⊙ h) W_hnᵀ.
  const gh = allocFloat(dtype, B * (resetAfter ? G3 : H2));
  const ghn = resetAfter ? null : allocFloat(dtype, BH); // [B, H]
  const wHhT = resetAfter ? packWeight(weights.wHh, true, H, G3) : null; // W_hhᵀ [H, 3H]
  const wHhRzT = resetAfter ? null : packWeight(weights.wHh.subarray(0, H2 * H), true, H, H2); // W_h{r,z}ᵀ [H, 2H]
  const wHnT = resetAfter ? null : packWeight(weights.wHh.subarray(H2 * H, G3 * H), true, H, H); // W_hnᵀ [H, H]
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = prevHidden(s, T, reverse, y, h0, BH);
    const iBase = keepCache ? t * BH : 0;
    if (resetAfter) {
      stepProduct(hp, wHhT!, gh, B, 0);
      for (let b = 0; b < B; b++) {
        const gOff = (t * B + b) * G3;
        const hOff = b * G3;
        const pOff = b * H;
        const yOff = t * BH + b * H;
        const iOff = iBase + b * H;
        for (let j = 0; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(gates[gOff + j] + gh[hOff + j] + bSum[j])));
          const z = 1 / (1 + Math.exp(-(gates[gOff + H + j] + gh[hOff + H + j] + bSum[H + j])));
          const hn = gh[hOff + H2 + j] + bHh[H2 + j];
          const n = Math.tanh(gates[gOff + H2 + j] + bIh[H2 + j] + r * hn);
          gates[gOff + j] = r;
          gates[gOff + H + j] = z;
          gates[gOff + H2 + j] = n;
          inner[iOff + j] = hn;
          y[yOff + j] = (1 - z) * n + z * hp[pOff + j];
        }
      }
    } else {
      stepProduct(hp, wHhRzT!, gh, B, 0);
      for (let b = 0; b < B; b++) {
        const gOff = (t * B + b) * G3;
        const hOff = b * H2;
        const pOff = b * H;
        const iOff = iBase + b * H;
        for (let j = 0; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(gates[gOff + j] + gh[hOff + j] + bSum[j])));
          gates[gOff + j] = r;
          gates[gOff + H + j] = 1 / (1 + Math.exp(-(gates[gOff + H + j] + gh[hOff + H + j] + bSum[H + j])));
          inner[iOff + j] = r * hp[pOff + j];
        }
      }
      stepProduct(inner.subarray(iBase, iBase + BH), wHnT!, ghn!, B, 0);
      for (let b = 0; b < B; b++) {
        const gOff = (t * B + b) * G3;
        const pOff = b * H;
        const yOff = t * BH + b * H;
        for (let j = 0; j < H; j++) {
          const n = Math.tanh(gates[gOff + H2 + j] + ghn![pOff + j] + bSum[H2 + j]);
          const z = gates[gOff + H + j];
          gates[gOff + H2 + j] = n;
          y[yOff + j] = (1 - z) * n + z * hp[pOff + j];
        }
      }
    }
  }
  const tLast = timeAt(T - 1, T, reverse);
  const hN = y.slice(tLast * BH, (tLast + 1) * BH);
  const cache: GruCache | null = keepCache ? { backend: 'ts', kind: 'gru', cellKey: cellKey(args.cell), T, B, I, H, dtype, reverse, y, gates, inner } : null;
  return { y, hN, cN: null, cache };
}

export function gruBackward(args: SequenceBackwardArgs, resetAfter: boolean, cache: GruCache): SequenceGrads {
  return resetAfter ? gruResetAfterBackward(args, cache) : gruResetBeforeBackward(args, cache);
}

function gruResetAfterBackward(args: SequenceBackwardArgs, cache: GruCache): SequenceGrads {
  const { T, B, H, h0, weights, reverse } = args.forward;
  const { dy, dhN } = args;
  const { dtype, y, gates, inner } = cache;
  const BH = B * H;
  const G3 = 3 * H;
  const H2 = 2 * H;
  // The n block's recurrent term is scaled by r, so its gradient differs on the two sides.
  const dGx = allocFloat(dtype, T * B * G3); // [T, B, 3H]  dL/d(W_ih x + b_ih)
  const dGh = allocFloat(dtype, T * B * G3); // [T, B, 3H]  dL/d(W_hh h + b_hh)
  const wHh = packWeight(weights.wHh, false, G3, H); // W_hh [3H, H]
  let dh = allocFloat(dtype, BH); // [B, H]  gradient reaching h_t from later steps
  let dhPrev = allocFloat(dtype, BH); // [B, H]
  if (dhN !== null) dh.set(dhN);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s, T, reverse);
    const hp = prevHidden(s, T, reverse, y, h0, BH);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * G3;
      const pOff = b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const r = gates[gOff + j];
        const z = gates[gOff + H + j];
        const n = gates[gOff + H2 + j];
        const dht = dh[pOff + j] + (dy === null ? 0 : dy[yOff + j]);
        const dzn = dht * (1 - z) * (1 - n * n);
        const dzz = dht * (hp[pOff + j] - n) * z * (1 - z);
        const dzr = dzn * inner[yOff + j] * r * (1 - r);
        dGx[gOff + j] = dzr;
        dGx[gOff + H + j] = dzz;
        dGx[gOff + H2 + j] = dzn;
        dGh[gOff + j] = dzr;
        dGh[gOff + H + j] = dzz;
        dGh[gOff + H2 + j] = dzn * r;
        dhPrev[pOff + j] = dht * z;
      }
    }
    stepProduct(dGh.subarray(t * B * G3, (t + 1) * B * G3), wHh, dhPrev, B, 1);
    const swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  return { ...gradsFromGates(args.forward, dtype, dGx, dGh, G3, y), dh0: dh, dc0: null, dWPeep: null, dWGateRec: null };
}

function gruResetBeforeBackward(args: SequenceBackwardArgs, cache: GruCache): SequenceGrads {
  const { T, B, H, h0, weights, reverse } = args.forward;
  const { dy, dhN } = args;
  const { dtype, y, gates, inner } = cache;
  const BH = B * H;
  const G3 = 3 * H;
  const H2 = 2 * H;
  const wHhRz = packWeight(weights.wHh.subarray(0, H2 * H), false, H2, H); // W_h{r,z} [2H, H]
  const wHn = packWeight(weights.wHh.subarray(H2 * H, G3 * H), false, H, H); // W_hn [H, H]
  // r, z see h and n sees r ⊙ h, so their gradients are kept apart for the dW_hh GEMMs.
  const dGa = allocFloat(dtype, T * B * H2); // [T, B, 2H]  dz_r, dz_z
  const dGn = allocFloat(dtype, T * BH); // [T, B, H]  dz_n
  const dInner = allocFloat(dtype, BH); // [B, H]  dL/d(r ⊙ h) of one step
  let dh = allocFloat(dtype, BH); // [B, H]  gradient reaching h_t from later steps
  let dhPrev = allocFloat(dtype, BH); // [B, H]
  if (dhN !== null) dh.set(dhN);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s, T, reverse);
    const hp = prevHidden(s, T, reverse, y, h0, BH);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * G3;
      const aOff = (t * B + b) * H2;
      const pOff = b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const z = gates[gOff + H + j];
        const n = gates[gOff + H2 + j];
        const dht = dh[pOff + j] + (dy === null ? 0 : dy[yOff + j]);
        dGn[yOff + j] = dht * (1 - z) * (1 - n * n);
        dGa[aOff + H + j] = dht * (hp[pOff + j] - n) * z * (1 - z);
        dhPrev[pOff + j] = dht * z;
      }
    }
    stepProduct(dGn.subarray(t * BH, (t + 1) * BH), wHn, dInner, B, 0);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * G3;
      const aOff = (t * B + b) * H2;
      const pOff = b * H;
      for (let j = 0; j < H; j++) {
        const r = gates[gOff + j];
        const d = dInner[pOff + j];
        dGa[aOff + j] = d * hp[pOff + j] * r * (1 - r);
        dhPrev[pOff + j] += d * r;
      }
    }
    stepProduct(dGa.subarray(t * B * H2, (t + 1) * B * H2), wHhRz, dhPrev, B, 1);
    const swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  return { ...gatedHiddenGrads(args.forward, dtype, dGa, 2, dGn, y, inner), dh0: dh, dc0: null, dWPeep: null, dWGateRec: null };
}
