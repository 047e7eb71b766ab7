import { allocFloat, dtypeOf, type FloatArray } from '../../dtype.js';
import type { RnnActivation, SequenceBackwardArgs, SequenceForwardArgs, SequenceForwardResult, SequenceGrads } from '../contract.js';
import { biasSum, gradsFromGates, inputProjection, packWeight, prevHidden, stepProduct, timeAt, type TsCacheBase } from './sequence-common.js';
import { cellKey } from './sequence-validate.js';

/** Elman RNN: h' = act(W_ih x + b_ih + W_hh h + b_hh). */

export interface RnnCache extends TsCacheBase {
  readonly kind: 'rnn';
  readonly y: FloatArray; // [T, B, H]  act' is a function of h alone
}

const TANH = 0;
const RELU = 1;
const SIGMOID = 2;

function activationCode(a: RnnActivation): number {
  return a === 'tanh' ? TANH : a === 'relu' ? RELU : SIGMOID;
}

export function rnnForward(args: SequenceForwardArgs, activation: RnnActivation): SequenceForwardResult {
  const { T, B, I, H, x, weights, h0, reverse, keepCache } = args;
  const dtype = dtypeOf(x);
  const BH = B * H;
  const act = activationCode(activation);
  const gx = inputProjection(x, weights.wIh, T * B, I, H, dtype); // [T, B, H]
  const bias = biasSum(weights.bIh, weights.bHh, H); // [H]
  const gh = allocFloat(dtype, BH); // [B, H]  h W_hhᵀ of one step
  const y = allocFloat(dtype, T * BH); // [T, B, H]
  const wHhT = packWeight(weights.wHh, true, H, H); // W_hhᵀ [H, H]
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    stepProduct(prevHidden(s, T, reverse, y, h0, BH), wHhT, gh, B, 0);
    for (let b = 0; b < B; b++) {
      const off = t * BH + b * H;
      const ghOff = b * H;
      for (let j = 0; j < H; j++) {
        const z = gx[off + j] + gh[ghOff + j] + bias[j];
        y[off + j] = act === TANH ? Math.tanh(z) : act === RELU ? (z > 0 ? z : 0) : 1 / (1 + Math.exp(-z));
      }
    }
  }
  const tLast = timeAt(T - 1, T, reverse);
  const hN = y.slice(tLast * BH, (tLast + 1) * BH);
  const cache: RnnCache | null = keepCache ? { backend: 'ts', kind: 'rnn', cellKey: cellKey(args.cell), T, B, I, H, dtype, reverse, y } : null;
  return { y, hN, cN: null, cache };
}

export function rnnBackward(args: SequenceBackwardArgs, activation: RnnActivation, cache: RnnCache): SequenceGrads {
  const { T, B, H, weights, reverse } = args.forward;
  const { dy, dhN } = args;
  const { dtype, y } = cache;
  const BH = B * H;
  const act = activationCode(activation);
  const dGates = allocFloat(dtype, T * BH); // [T, B, H]  dL/dz of every step
  let dh = allocFloat(dtype, BH); // [B, H]  gradient reaching h_t from later steps
  let dhPrev = allocFloat(dtype, BH); // [B, H]
  if (dhN !== null) dh.set(dhN);
  const wHh = packWeight(weights.wHh, false, H, H); // W_hh [H, H]
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s, T, reverse);
    const off = t * BH;
    for (let k = 0; k < BH; k++) {
      const g = dh[k] + (dy === null ? 0 : dy[off + k]);
      const h = y[off + k];
      dGates[off + k] = act === TANH ? g * (1 - h * h) : act === RELU ? (h > 0 ? g : 0) : g * h * (1 - h);
    }
    stepProduct(dGates.subarray(off, off + BH), wHh, dhPrev, B, 0);
    const swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  return { ...gradsFromGates(args.forward, dtype, dGates, dGates, H, y), dh0: dh, dc0: null, dWPeep: null, dWGateRec: null };
}
