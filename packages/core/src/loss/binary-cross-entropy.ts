import { recordOp } from '../autograd/tape.js';
import { object } from '../schema/object.js';
import { bool } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import { Tensor } from '../tensor.js';
import { targetValues, type ElementTargets } from './element-targets.js';
import { reductionSchema } from './reduction.js';

export const binaryCrossEntropyOptionsSchema = object({
  /** The input holds logits x (p = σ(x)), computed stably; default false: probabilities p. */
  fromLogits: bool().default(false),
  /** 'mean' over all elements (default) or 'sum'. */
  reduction: reductionSchema(),
});
export type BinaryCrossEntropyOptions = Infer<typeof binaryCrossEntropyOptionsSchema>;

/** PyTorch's BCELoss clamps each log at −100 so p = 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's BCELoss backward divides by max(p (1 − p), 1e-12). */
const GRAD_EPSILON = 1e-12;

/**
 * Binary cross-entropy against targets y ∈ [0, 1], a scalar [1]. Per element:
 * - probabilities (as PyTorch's BCELoss): −(y · max(ln p, −100) + (1 − y) · max(ln(1 − p), −100)),
 *   gradient (p − y) / max(p (1 − p), 1e-12);
 * - fromLogits (as BCEWithLogitsLoss): max(x, 0) − x y + ln(1 + e^{−|x|}), which never
 *   overflows, gradient σ(x) − y.
 * Targets are constants (no gradient flows to them).
 */
export function binaryCrossEntropy(input: Tensor, target: ElementTargets, options: BinaryCrossEntropyOptions = {}): Tensor {
  const where = 'binaryCrossEntropy';
  const { reduction, fromLogits } = parse(where, binaryCrossEntropyOptionsSchema, options);
  const y = targetValues(where, input, target);
  const n = input.size;
  const x = input.data;
  for (let i = 0; i < n; i++) {
    if (!(y[i]! >= 0 && y[i]! <= 1)) throw new RangeError(`${where}: target[${i}] = ${y[i]}, expected a value in [0, 1]`);
    if (!fromLogits && !(x[i]! >= 0 && x[i]! <= 1)) {
      throw new RangeError(`${where}: probability input[${i}] = ${x[i]}, expected a value in [0, 1] (pass fromLogits: true for logits)`);
    }
  }
  let s = 0;
  if (fromLogits) {
    for (let i = 0; i < n; i++) s += Math.max(x[i]!, 0) - x[i]! * y[i]! + Math.log1p(Math.exp(-Math.abs(x[i]!)));
  } else {
    for (let i = 0; i < n; i++) {
      s -= y[i]! * Math.max(Math.log(x[i]!), LOG_FLOOR) + (1 - y[i]!) * Math.max(Math.log1p(-x[i]!), LOG_FLOOR);
    }
  }
  const divisor = reduction === 'mean' ? n : 1;
  const loss = Tensor.from([n === 0 ? 0 : s / divisor], [1], input.dtype);
  recordOp([input], [loss], () => {
    if (!loss.grad || n === 0) return;
    const k = loss.grad[0]! / divisor;
    const g = input.gradBuffer(); // input's shape
    if (fromLogits) {
      for (let i = 0; i < n; i++) g[i] += k * (sigmoid(x[i]!) - y[i]!);
    } else {
      for (let i = 0; i < n; i++) g[i] += (k * (x[i]! - y[i]!)) / Math.max(x[i]! * (1 - x[i]!), GRAD_EPSILON);
    }
  });
  return loss;
}

function sigmoid(v: number): number {
  // Split by sign so exp never overflows.
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
