import { recordOp } from '../autograd/tape.js';
import { backendFor } from '../backend/registry.js';
import { castFloat, dtypeOf, type FloatArray } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import { object } from '../schema/object.js';
import { instance } from '../schema/primitives.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import { Tensor } from '../tensor.js';
import { reductionSchema } from './reduction.js';

export const softmaxCrossEntropyOptionsSchema = object({
  /** Weight of each row [N], e.g. 0 for padding steps (default: all ones). Must be ≥ 0. */
  mask: instance(Float32Array, Float64Array).optional(),
  /** 'mean' divides the masked sum by the mask's sum (default); 'sum' does not divide. */
  reduction: reductionSchema(),
});
export type SoftmaxCrossEntropyOptions = Infer<typeof softmaxCrossEntropyOptionsSchema>;

/**
 * Cross-entropy of softmax(logits) against class indices, a scalar [1]:
 *   sum = Σ_n mask[n] · (logsumexp(logits[n, :]) − logits[n, targets[n]])
 *   mean = sum / Σ_n mask[n]
 * For a sequence model, flatten [T, B, C] logits to [T·B, C]: the mean is then over time and
 * batch, as is usual for language models. A mask that sums to 0 gives a loss of 0 and zero
 * gradients (nothing counted) rather than NaN.
 * Gradient: d sum / d logits[n, c] = mask[n] · (softmax(logits[n])[c] − [c = targets[n]]).
 */
export function softmaxCrossEntropy(logits: Tensor, targets: Int32Array, options: SoftmaxCrossEntropyOptions = {}): Tensor {
  const where = 'softmaxCrossEntropy';
  const { reduction } = parse(where, softmaxCrossEntropyOptionsSchema, options);
  if (!(logits instanceof Tensor) || logits.rank !== 2) {
    throw new ShapeError(`${where}: logits has shape ${logits instanceof Tensor ? formatShape(logits.shape) : typeof logits}, expected [N, C]`);
  }
  const [N, C] = logits.shape as [number, number];
  parseArgument(where, 'targets', instance(Int32Array), targets);
  if (targets.length !== N) throw new ShapeError(`${where}: targets has ${targets.length} entries, expected N=${N} (one per row of logits ${formatShape(logits.shape)})`);
  for (let n = 0; n < N; n++) {
    if (targets[n]! < 0 || targets[n]! >= C) throw new RangeError(`${where}: targets[${n}] = ${targets[n]} is outside [0, ${C})`);
  }
  let mask: FloatArray | null = null;
  if (options.mask !== undefined) {
    const m = options.mask;
    if (m.length !== N) throw new ShapeError(`${where}: mask has ${m.length} entries, expected N=${N}`);
    for (let n = 0; n < N; n++) {
      if (!(m[n]! >= 0) || !Number.isFinite(m[n]!)) throw new RangeError(`${where}: mask[${n}] = ${m[n]}, expected a finite weight ≥ 0`);
    }
    // The backend contract wants one dtype per call.
    mask = dtypeOf(m) === logits.dtype ? m : castFloat(m, logits.dtype);
  }
  const be = backendFor(logits.dtype);
  const { lossSum, count, dlogits } = be.softmaxCrossEntropy(logits.data, targets, mask, N, C); // dlogits [N, C]
  const divisor = reduction === 'mean' ? (count > 0 ? count : 0) : 1;
  const value = divisor === 0 ? 0 : lossSum / divisor;
  const loss = Tensor.from([value], [1], logits.dtype);
  recordOp([logits], [loss], () => {
    if (!loss.grad || divisor === 0) return;
    const s = loss.grad[0]! / divisor;
    const d = logits.gradBuffer(); // [N, C]
    for (let i = 0; i < d.length; i++) d[i] += s * dlogits[i]!;
  });
  return loss;
}
