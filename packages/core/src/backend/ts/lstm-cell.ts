import { allocFloat, dtypeOf, type FloatArray } from '../../dtype.js';
import type { LstmVariant, SequenceBackwardArgs, SequenceForwardArgs, SequenceForwardResult, SequenceGrads } from '../contract.js';
import { addPrevProduct, biasSum, gradsFromGates, inputProjection, packWeight, prevHidden, stepProduct, timeAt, type TsCacheBase } from './sequence-common.js';
import { cellKey } from './sequence-validate.js';

/**
 * LSTM with the variants of Greff et al. 2015 (see LstmVariant in contract.ts). Gate blocks
 * i, f, g, o. Gates that a variant removes take their constant value (i = 1, f = 1, o = 1,
 * f = 1 − i), and that constant value is also what full gate recurrence feeds back.
 */

export interface LstmCache extends TsCacheBase {
  readonly kind: 'lstm';
  readonly y: FloatArray; // [T, B, H]
  readonly gates: FloatArray; // [T, B, 4H]  activations i, f, g, o
  readonly cells: FloatArray; // [T, B, H]  c_t
  readonly cellOut: FloatArray; // [T, B, H]  tanh(c_t), or c_t without output activation
  readonly gateAct: FloatArray | null; // [T, B, 3H]  i, f, o again, contiguous (full gate recurrence only)
}

export function lstmForward(args: SequenceForwardArgs, v: LstmVariant): SequenceForwardResult {
  const { T, B, I, H, x, weights, h0, reverse, keepCache } = args;
  const c0 = args.c0!;
  const dtype = dtypeOf(x);
  const BH = B * H;
  const G4 = 4 * H;
  const H3 = 3 * H;
  const { peephole, coupled, noInputGate, noForgetGate, noOutputGate, noInputActivation, noOutputActivation } = v;
  const fgr = v.fullGateRecurrence;
  const wPeep = peephole ? weights.wPeep! : null; // [3, H]
  const wRec = fgr ? weights.wGateRec! : null; // [3H, 3H]
  // Without a cache, the per-step buffers ping-pong between two slots.
  const slots = keepCache ? T : 2;
  const gates = inputProjection(x, weights.wIh, T * B, I, G4, dtype); // [T, B, 4H]  x W_ihᵀ, overwritten by activations
  const bias = biasSum(weights.bIh, weights.bHh, G4); // [4H]
  const gh = allocFloat(dtype, B * G4); // [B, 4H]  h W_hhᵀ of one step
  const rec = fgr ? allocFloat(dtype, B * H3) : null; // [B, 3H]  a_prev Rᵀ of one step
  const y = allocFloat(dtype, T * BH); // [T, B, H]
  const cells = allocFloat(dtype, slots * BH); // [slots, B, H]
  const cellOut = keepCache ? allocFloat(dtype, T * BH) : null; // [T, B, H]
  const gateAct = fgr ? allocFloat(dtype, slots * B * H3) : null; // [slots, B, 3H]
  const wHhT = packWeight(weights.wHh, true, H, G4); // W_hhᵀ [H, 4H]
  const wRecT = fgr ? packWeight(wRec!, true, H3, H3) : null; // Rᵀ [3H, 3H]
  let slot = 0;
  for (let s = 0; s < T; s++) {
    const t = timeAt(s, T, reverse);
    const prevSlot = slot;
    slot = keepCache ? t : s & 1;
    stepProduct(prevHidden(s, T, reverse, y, h0, BH), wHhT, gh, B, 0);
    const useRec = fgr && s > 0; // the gate activations before the first step are zero
    if (useRec) stepProduct(gateAct!.subarray(prevSlot * B * H3, (prevSlot + 1) * B * H3), wRecT!, rec!, B, 0);
    const cPrev = s === 0 ? c0 : cells;
    const cPrevBase = s === 0 ? 0 : prevSlot * BH;
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * G4;
      const hOff = b * G4;
      const rOff = b * H3;
      const aOff = (slot * B + b) * H3;
      const cOff = slot * BH + b * H;
      const cpOff = cPrevBase + b * H;
      const yOff = t * BH + b * H;
      for (let j = 0; j < H; j++) {
        const cp = cPrev[cpOff + j];
        let zi = gates[gOff + j] + gh[hOff + j] + bias[j];
        let zf = gates[gOff + H + j] + gh[hOff + H + j] + bias[H + j];
        const zg = gates[gOff + 2 * H + j] + gh[hOff + 2 * H + j] + bias[2 * H + j];
        let zo = gates[gOff + 3 * H + j] + gh[hOff + 3 * H + j] + bias[3 * H + j];
        if (useRec) {
          zi += rec![rOff + j];
          zf += rec![rOff + H + j];
          zo += rec![rOff + 2 * H + j];
        }
        if (peephole) {
          zi += wPeep![j] * cp;
          zf += wPeep![H + j] * cp;
        }
        const ig = noInputGate ? 1 : 1 / (1 + Math.exp(-zi));
        const fg = coupled ? 1 - ig : noForgetGate ? 1 : 1 / (1 + Math.exp(-zf));
        const gg = noInputActivation ? zg : Math.tanh(zg);
        const c = fg * cp + ig * gg;
        if (peephole) zo += wPeep![2 * H + j] * c;
        const og = noOutputGate ? 1 : 1 / (1 + Math.exp(-zo));
        const co = noOutputActivation ? c : Math.tanh(c);
        gates[gOff + j] = ig;
        gates[gOff + H + j] = fg;
        gates[gOff + 2 * H + j] = gg;
        gates[gOff + 3 * H + j] = og;
        cells[cOff + j] = c;
        if (cellOut !== null) cellOut[yOff + j] = co;
        if (gateAct !== null) {
          gateAct[aOff + j] = ig;
          gateAct[aOff + H + j] = fg;
          gateAct[aOff + 2 * H + j] = og;
        }
        y[yOff + j] = og * co;
      }
    }
  }
  const tLast = timeAt(T - 1, T, reverse);
  const hN = y.slice(tLast * BH, (tLast + 1) * BH);
  const cN = cells.slice(slot * BH, (slot + 1) * BH);
  const cache: LstmCache | null = keepCache
    ? { backend: 'ts', kind: 'lstm', cellKey: cellKey(args.cell), T, B, I, H, dtype, reverse, y, gates, cells, cellOut: cellOut!, gateAct }
    : null;
  return { y, hN, cN, cache };
}

export function lstmBackward(args: SequenceBackwardArgs, v: LstmVariant, cache: LstmCache): SequenceGrads {
  const { T, B, H, weights, reverse } = args.forward;
  const c0 = args.forward.c0!;
  const { dy, dhN, dcN } = args;
  const { dtype, y, gates, cells, cellOut, gateAct } = cache;
  const BH = B * H;
  const G4 = 4 * H;
  const H3 = 3 * H;
  const { peephole, coupled, noInputGate, noForgetGate, noOutputGate, noInputActivation, noOutputActivation } = v;
  const fgr = v.fullGateRecurrence;
  const wPeep = peephole ? weights.wPeep! : null; // [3, H]
  const wRec = fgr ? weights.wGateRec! : null; // [3H, 3H]
  const dGates = allocFloat(dtype, T * B * G4); // [T, B, 4H]  dL/dz of every step
  const dGateZ = fgr ? allocFloat(dtype, T * B * H3) : null; // [T, B, 3H]  dz_i, dz_f, dz_o contiguous
  const dAct = fgr ? allocFloat(dtype, B * H3) : null; // [B, 3H]  dL/d[i, f, o] from the next step's gates
  const dPeep = peephole ? new Float64Array(3 * H) : null; // [3, H]
  let dh = allocFloat(dtype, BH); // [B, H]  gradient reaching h_t from later steps
  let dhPrev = allocFloat(dtype, BH); // [B, H]
  const dc = allocFloat(dtype, BH); // [B, H]  gradient reaching c_t from later steps, updated in place
  if (dhN !== null) dh.set(dhN);
  if (dcN !== null) dc.set(dcN);
  const wHh = packWeight(weights.wHh, false, G4, H); // W_hh [4H, H]
  const wRecP = fgr ? packWeight(wRec!, false, H3, H3) : null; // R [3H, 3H]
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s, T, reverse);
    const useAct = fgr && s < T - 1;
    if (useAct) {
      const tNext = timeAt(s + 1, T, reverse);
      stepProduct(dGateZ!.subarray(tNext * B * H3, (tNext + 1) * B * H3), wRecP!, dAct!, B, 0);
    }
    const tp = s === 0 ? 0 : timeAt(s - 1, T, reverse);
    const cPrev = s === 0 ? c0 : cells;
    const cPrevBase = s === 0 ? 0 : tp * BH;
    for (let b = 0; b < B; b++) {
      const gOff = (t * B + b) * G4;
      const zOff = (t * B + b) * H3;
      const aOff = b * H3;
      const hOff = b * H;
      const cOff = t * BH + b * H;
      const cpOff = cPrevBase + b * H;
      for (let j = 0; j < H; j++) {
        const ig = gates[gOff + j];
        const fg = gates[gOff + H + j];
        const gg = gates[gOff + 2 * H + j];
        const og = gates[gOff + 3 * H + j];
        const c = cells[cOff + j];
        const co = cellOut[cOff + j];
        const cp = cPrev[cpOff + j];
        const dht = dh[hOff + j] + (dy === null ? 0 : dy[cOff + j]);
        let dO = dht * co;
        if (useAct) dO += dAct![aOff + 2 * H + j];
        const dzo = noOutputGate ? 0 : dO * og * (1 - og);
        let dC = dc[hOff + j] + dht * og * (noOutputActivation ? 1 : 1 - co * co);
        if (peephole) dC += dzo * wPeep![2 * H + j];
        let dI = dC * gg;
        let dF = dC * cp;
        const dG = dC * ig;
        if (useAct) {
          dI += dAct![aOff + j];
          dF += dAct![aOff + H + j];
        }
        if (coupled) dI -= dF; // f = 1 − i
        const dzi = noInputGate ? 0 : dI * ig * (1 - ig);
        const dzf = noForgetGate || coupled ? 0 : dF * fg * (1 - fg);
        const dzg = noInputActivation ? dG : dG * (1 - gg * gg);
        let dCp = dC * fg;
        if (peephole) {
          dCp += dzi * wPeep![j] + dzf * wPeep![H + j];
          dPeep![j] += dzi * cp;
          dPeep![H + j] += dzf * cp;
          dPeep![2 * H + j] += dzo * c;
        }
        dc[hOff + j] = dCp;
        dGates[gOff + j] = dzi;
        dGates[gOff + H + j] = dzf;
        dGates[gOff + 2 * H + j] = dzg;
        dGates[gOff + 3 * H + j] = dzo;
        if (dGateZ !== null) {
          dGateZ[zOff + j] = dzi;
          dGateZ[zOff + H + j] = dzf;
          dGateZ[zOff + 2 * H + j] = dzo;
        }
      }
    }
    stepProduct(dGates.subarray(t * B * G4, (t + 1) * B * G4), wHh, dhPrev, B, 0);
    const swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  let dWGateRec: FloatArray | null = null;
  if (fgr) {
    // dR = Σ_t dz_ifo[t]ᵀ a_prev[t]; a_prev is zero at the first step.
    dWGateRec = allocFloat(dtype, H3 * H3); // [3H, 3H]
    addPrevProduct(dWGateRec, dGateZ!, gateAct!, null, T, B, H3, H3, reverse);
  }
  const dWPeep = dPeep === null ? null : dtype === 'float32' ? Float32Array.from(dPeep) : dPeep;
  return { ...gradsFromGates(args.forward, dtype, dGates, dGates, G4, y), dh0: dh, dc0: dc, dWPeep, dWGateRec };
}
