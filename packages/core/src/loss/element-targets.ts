import type { FloatArray } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import { describeValue } from '../schema/describe.js';
import { sameShape, Tensor } from '../tensor.js';

/** Targets of an elementwise loss: a Tensor of the prediction's shape, or a flat array of its size. */
export type ElementTargets = Tensor | FloatArray | readonly number[];

/** The targets' values, checked against the prediction's shape. */
export function targetValues(where: string, pred: Tensor, target: ElementTargets): ArrayLike<number> {
  if (!(pred instanceof Tensor)) throw new ShapeError(`${where}: the prediction must be a Tensor, got ${describeValue(pred)}`);
  if (target instanceof Tensor) {
    if (!sameShape(target.shape, pred.shape)) {
      throw new ShapeError(`${where}: target has shape ${formatShape(target.shape)}, expected ${formatShape(pred.shape)} (the prediction's)`);
    }
    return target.data;
  }
  if (target === null || typeof target !== 'object' || typeof (target as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${where}: target must be a Tensor or an array of numbers, got ${describeValue(target)}`);
  }
  if (target.length !== pred.size) {
    throw new ShapeError(`${where}: target has ${target.length} elements, expected ${pred.size} (prediction shape ${formatShape(pred.shape)})`);
  }
  return target;
}
