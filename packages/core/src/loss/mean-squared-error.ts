import { recordOp } from '../autograd/tape.js';
import { object } from '../schema/object.js';
import { parse, type Infer } from '../schema/schema.js';
import { Tensor } from '../tensor.js';
import { targetValues, type ElementTargets } from './element-targets.js';
import { reductionSchema } from './reduction.js';

export const meanSquaredErrorOptionsSchema = object({
  /** 'mean' over all elements (default) or 'sum'. */
  reduction: reductionSchema(),
});
export type MeanSquaredErrorOptions = Infer<typeof meanSquaredErrorOptionsSchema>;

/**
 * Squared error, a scalar [1]: Σ_i (pred_i − target_i)², divided by the element count for
 * 'mean' (as PyTorch's MSELoss). Gradient 2 (pred − target) / n; a target Tensor that
 * requires a gradient receives the negative of it.
 */
export function meanSquaredError(pred: Tensor, target: ElementTargets, options: MeanSquaredErrorOptions = {}): Tensor {
  const where = 'meanSquaredError';
  const { reduction } = parse(where, meanSquaredErrorOptionsSchema, options);
  const t = targetValues(where, pred, target);
  const n = pred.size;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i]! - t[i]!;
    s += d * d;
  }
  const divisor = reduction === 'mean' ? n : 1;
  const loss = Tensor.from([n === 0 ? 0 : s / divisor], [1], pred.dtype);
  const targetTensor = target instanceof Tensor ? target : null;
  recordOp([pred, targetTensor], [loss], () => {
    if (!loss.grad || n === 0) return;
    const k = (2 * loss.grad[0]!) / divisor;
    if (pred.requiresGrad) {
      const g = pred.gradBuffer(); // pred's shape
      for (let i = 0; i < n; i++) g[i] += k * (pred.data[i]! - t[i]!);
    }
    if (targetTensor?.requiresGrad) {
      const g = targetTensor.gradBuffer();
      for (let i = 0; i < n; i++) g[i] -= k * (pred.data[i]! - t[i]!);
    }
  });
  return loss;
}
