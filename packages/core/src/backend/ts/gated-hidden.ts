import { allocFloat, type DType, type FloatArray } from '../../dtype.js';
import type { SequenceForwardArgs } from '../contract.js';
import { addColumnSums, addPrevProduct, matmul, type GateGrads } from './sequence-common.js';

/**
 * The weight, bias and input gradients of the cells whose candidate block n multiplies a gated
 * hidden state, W_hn (g ⊙ h): GRU with the reset before (g = r) and MGU (g = f). Their gate
 * gradients are kept as two buffers, dGa for the leading A blocks (which see h) and dGn for n
 * (which sees g ⊙ h, cached as `inner`), because the GEMM takes no leading dimension: each
 * block's dW_hh rows come from its own contiguous gradient buffer.
 * dGa [T, B, A*H], dGn [T, B, H], y [T, B, H], inner [T, B, H].
 */
export function gatedHiddenGrads(
  fwd: SequenceForwardArgs,
  dtype: DType,
  dGa: FloatArray,
  A: number,
  dGn: FloatArray,
  y: FloatArray,
  inner: FloatArray,
): GateGrads {
  const { T, B, I, H, x, h0, weights, reverse } = fwd;
  const AH = A * H;
  const GH = AH + H;
  const TB = T * B;
  const dWIh = allocFloat(dtype, GH * I); // [GH, I]
  const dWHh = allocFloat(dtype, GH * H); // [GH, H]
  const dx = allocFloat(dtype, TB * I); // [T, B, I]
  matmul(dGa, true, x, false, dWIh.subarray(0, AH * I), AH, I, TB, 0);
  matmul(dGn, true, x, false, dWIh.subarray(AH * I), H, I, TB, 0);
  addPrevProduct(dWHh.subarray(0, AH * H), dGa, y, h0, T, B, AH, H, reverse);
  matmul(dGn, true, inner, false, dWHh.subarray(AH * H), H, H, TB, 0);
  matmul(dGa, false, weights.wIh.subarray(0, AH * I), false, dx, TB, I, AH, 0);
  matmul(dGn, false, weights.wIh.subarray(AH * I, GH * I), false, dx, TB, I, H, 1);
  let dBIh: FloatArray | null = null;
  let dBHh: FloatArray | null = null;
  if (weights.bIh !== null || weights.bHh !== null) {
    const db = allocFloat(dtype, GH); // [GH]  both biases enter every block the same way
    addColumnSums(db, 0, dGa, TB, AH);
    addColumnSums(db, AH, dGn, TB, H);
    if (weights.bIh !== null) dBIh = db;
    if (weights.bHh !== null) dBHh = dBIh === null ? db : db.slice();
  }
  return { dx, dWIh, dWHh, dBIh, dBHh };
}
