import { recordOp } from '../autograd/tape.js';
import { allocFloat } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import { backendFor } from '../backend/registry.js';
import { Tensor } from '../tensor.js';

/**
 * y = x Wᵀ + b over the last axis: x [..., In], weight [Out, In], bias [Out] or null → y [..., Out].
 * The leading axes are flattened into one GEMM.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const [Out, In] = weight.shape as [number, number];
  if (x.rank < 1 || x.shape[x.rank - 1] !== In) {
    throw new ShapeError(`linear: x has shape ${formatShape(x.shape)}, expected [..., ${In}] (weight ${formatShape(weight.shape)})`);
  }
  if (x.dtype !== weight.dtype) throw new ShapeError(`linear: x is ${x.dtype} but weight is ${weight.dtype}`);
  const N = x.size / In;
  const be = backendFor(x.dtype);
  const out = allocFloat(x.dtype, N * Out); // [N, Out]
  if (bias !== null) for (let n = 0; n < N; n++) out.set(bias.data, n * Out);
  be.gemm({ transA: false, transB: true, M: N, N: Out, K: In, alpha: 1, a: x.data, b: weight.data, beta: bias === null ? 0 : 1, c: out });
  const y = new Tensor(out, [...x.shape.slice(0, -1), Out]);
  recordOp([x, weight, bias], [y], () => {
    const dy = y.grad; // [N, Out]
    if (!dy) return;
    if (x.requiresGrad) {
      // dx [N, In] = dy W
      be.gemm({ transA: false, transB: false, M: N, N: In, K: Out, alpha: 1, a: dy, b: weight.data, beta: 1, c: x.gradBuffer() });
    }
    if (weight.requiresGrad) {
      // dW [Out, In] += dyᵀ x
      be.gemm({ transA: true, transB: false, M: Out, N: In, K: N, alpha: 1, a: dy, b: x.data, beta: 1, c: weight.gradBuffer() });
    }
    if (bias?.requiresGrad) bias.accumulateGrad(be.sumRows(dy, N, Out));
  });
  return y;
}
