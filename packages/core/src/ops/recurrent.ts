import { gradNeeded, recordOp } from '../autograd/tape.js';
import type { CellSpec, CellWeights, SequenceForwardArgs } from '../backend/contract.js';
import { backendFor } from '../backend/registry.js';
import { Tensor } from '../tensor.js';

/** Parameters of one layer in one direction, as tensors (shapes as in CellWeights). */
export interface CellParams {
  wIh: Tensor; // [G*H, I]
  wHh: Tensor; // [G*H, H]
  bIh: Tensor | null; // [G*H]
  bHh: Tensor | null; // [G*H]
  wPeep: Tensor | null; // [3, H]
  wGateRec: Tensor | null; // [3H, 3H]
}

export interface SequenceOutputs {
  y: Tensor; // [T, B, H]
  hN: Tensor; // [B, H]
  cN: Tensor | null; // [B, H]
}

/**
 * One layer, one direction, the whole sequence, as one autograd op over the backend's
 * sequence kernels. Shapes are checked by the layer that calls it.
 */
export function sequenceOp(
  cell: CellSpec,
  x: Tensor, // [T, B, I]
  p: CellParams,
  h0: Tensor, // [B, H]
  c0: Tensor | null, // [B, H]
  reverse: boolean,
): SequenceOutputs {
  const [T, B, I] = x.shape as [number, number, number];
  const H = p.wHh.shape[1]!;
  const inputs = [x, h0, c0, p.wIh, p.wHh, p.bIh, p.bHh, p.wPeep, p.wGateRec];
  const keepCache = gradNeeded(inputs);
  const be = backendFor(x.dtype);
  const weights: CellWeights = {
    wIh: p.wIh.data,
    wHh: p.wHh.data,
    bIh: p.bIh?.data ?? null,
    bHh: p.bHh?.data ?? null,
    wPeep: p.wPeep?.data ?? null,
    wGateRec: p.wGateRec?.data ?? null,
  };
  const args: SequenceForwardArgs = { cell, T, B, I, H, x: x.data, weights, h0: h0.data, c0: c0?.data ?? null, reverse, keepCache };
  const r = be.sequenceForward(args);
  const y = new Tensor(r.y, [T, B, H]);
  const hN = new Tensor(r.hN, [B, H]);
  const cN = r.cN === null ? null : new Tensor(r.cN, [B, H]);
  const outputs = cN === null ? [y, hN] : [y, hN, cN];
  recordOp(inputs, outputs, () => {
    if (!y.grad && !hN.grad && !cN?.grad) return;
    const g = be.sequenceBackward({ forward: args, cache: r.cache!, dy: y.grad, dhN: hN.grad, dcN: cN?.grad ?? null });
    if (x.requiresGrad) x.accumulateGrad(g.dx);
    if (h0.requiresGrad) h0.accumulateGrad(g.dh0);
    if (c0?.requiresGrad && g.dc0) c0.accumulateGrad(g.dc0);
    if (p.wIh.requiresGrad) p.wIh.accumulateGrad(g.dWIh);
    if (p.wHh.requiresGrad) p.wHh.accumulateGrad(g.dWHh);
    if (p.bIh?.requiresGrad && g.dBIh) p.bIh.accumulateGrad(g.dBIh);
    if (p.bHh?.requiresGrad && g.dBHh) p.bHh.accumulateGrad(g.dBHh);
    if (p.wPeep?.requiresGrad && g.dWPeep) p.wPeep.accumulateGrad(g.dWPeep);
    if (p.wGateRec?.requiresGrad && g.dWGateRec) p.wGateRec.accumulateGrad(g.dWGateRec);
  });
  return { y, hN, cN };
}
