import { allocFloat, dtypeOf, type FloatArray } from '../../dtype.js';
import type { SequenceBackwardArgs, SequenceForwardArgs, SequenceForwardResult, SequenceGrads } from '../contract.js';
import { gatedHiddenGrads } from './gated-hidden.js';
import { biasSum, inputProjection, packWeight, prevHidden, stepProduct, timeAt, type TsCacheBase } from './sequence-common.js';
import { cellKey } from './sequence-validate.js';

/**
 * Minimal gated unit (Zhou et al. 2016), gate blocks f, n:
 * f = σ(W_if x + b_if + W_hf h + b_hf), n = tanh(W_in x + b_in + W_hn (f ⊙ h) + b_hn),
 * h' = (1 − f) ⊙ h + f ⊙ n.
 */

export interface MguCache extends TsCacheBase {
  readonly kind: 'mgu';
  readonly y: FloatArray; // [T, B, H]
  readonly gates: FloatArray; // [T, B, 2H]  activations f, n
  readonly inner: FloatArray; // [T, B, H]  f ⊙ h, the input of W_hn
}

export function mguForward(args: SequenceForwardArgs): SequenceForwardResult {
  const { T, B, I, H, x, weights, h0, reverse, keepCache } = args;
  const dtype = dtypeOf(x);
  const BH = B * H;
  const H2 = 2 * H;
  const gates = inputProjection(x, weights.wIh, T * B, I, H2, dtype); // [T, B, 2H]  x W_ihᵀ, overwritten by activations
  const bias = biasSum(weights.bIh, weights.bHh, H2); // [2H]
  const wHfT = packWeight(weights.wHh.subarray(0, H * H), true, H, H); // W_hfᵀ [H, H]
  const wHnT = packWeight(weights.wHh.subarray(H * H, H2 * H), true, H, H); // W_hnᵀ [H, H]
  const ghf = allocFloat(dtype, BH); // [B, H]  h W_hfᵀ of one step
  const ghn = allocFloat(dtype, BH); // [B, H]  (f ⊙ h) W_hnᵀ of one step
  const y = allocFloat(dtype, T * BH); // [T, B, H]
  const inner = allocFloat(dtype, (keepCache ? T : 1) * BH); // [T or 1, B, H]
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const hp = prevHidden(s, T, reverse, y, h0, BH);
    const iBase = keepCache ? t * BH : 0;
    stepProduct(hp, wHfT, ghf, B, 0);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * H2;
      const pOff = b * H;
      const iOff = iBase + b * H;
      for (let j = 0; j < H; j++) {
        const f = 1 / (1 + Math.exp(-(gates[gOff + j] + ghf[pOff + j] + bias[j])));
        gates[gOff + j] = f;
        inner[iOff + j] = f * hp[pOff + j];
      }
    }
    stepProduct(inner.subarray(iBase, iBase + BH), wHnT, ghn, B, 0);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * H2;
      const pOff = b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const f = gates[gOff + j];
        const n = Math.tanh(gates[gOff + H + j] + ghn[pOff + j] + bias[H + j]);
        gates[gOff + H + j] = n;
        y[yOff + j] = (1 - f) * hp[pOff + j] + f * n;
      }
    }
  }
  const tLast = timeAt(T - 1, T, reverse);
  const hN = y.slice(tLast * BH, (tLast + 1) * BH);
  const cache: MguCache | null = keepCache ? { backend: 'ts', kind: 'mgu', cellKey: cellKey(args.cell), T, B, I, H, dtype, reverse, y, gates, inner } : null;
  return { y, hN, cN: null, cache };
}

export function mguBackward(args: SequenceBackwardArgs, cache: MguCache): SequenceGrads {
  const { T, B, H, h0, weights, reverse } = args.forward;
  const { dy, dhN } = args;
  const { dtype, y, gates, inner } = cache;
  const BH = B * H;
  const H2 = 2 * H;
  const wHf = packWeight(weights.wHh.subarray(0, H * H), false, H, H); // W_hf [H, H]
  const wHn = packWeight(weights.wHh.subarray(H * H, H2 * H), false, H, H); // W_hn [H, H]
  // f sees h and n sees f ⊙ h, so their gradients are kept apart for the dW_hh GEMMs.
  const dGf = allocFloat(dtype, T * BH); // [T, B, H]  dz_f
  const dGn = allocFloat(dtype, T * BH); // [T, B, H]  dz_n
  const dF = allocFloat(dtype, BH); // [B, H]  dL/df of one step, before the sigmoid
  const dInner = allocFloat(dtype, BH); // [B, H]  dL/d(f ⊙ h) of one step
  let dh = allocFloat(dtype, BH); // [B, H]  gradient reaching h_t from later steps
  let dhPrev = allocFloat(dtype, BH); // [B, H]
  if (dhN !== null) dh.set(dhN);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s, T, reverse);
    const hp = prevHidden(s, T, reverse, y, h0, BH);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * H2;
      const pOff = b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const f = gates[gOff + j];
        const n = gates[gOff + H + j];
        const h = hp[pOff + j];
        const dht = dh[pOff + j] + (dy === null ? 0 : dy[yOff + j]);
        dGn[yOff + j] = dht * f * (1 - n * n);
        dF[pOff + j] = dht * (n - h);
        dhPrev[pOff + j] = dht * (1 - f);
      }
    }
    stepProduct(dGn.subarray(t * BH, (t + 1) * BH), wHn, dInner, B, 0);
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * H2;
      const pOff = b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const f = gates[gOff + j];
        const d = dInner[pOff + j];
        dGf[yOff + j] = (dF[pOff + j] + d * hp[pOff + j]) * f * (1 - f);
        dhPrev[pOff + j] += d * f;
      }
    }
    stepProduct(dGf.subarray(t * BH, (t + 1) * BH), wHf, dhPrev, B, 1);
    const swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  return { ...gatedHiddenGrads(args.forward, dtype, dGf, 1, dGn, y, inner), dh0: dh, dc0: null, dWPeep: null, dWGateRec: null };
}
