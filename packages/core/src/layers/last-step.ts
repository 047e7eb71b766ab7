import { formatShape, ShapeError } from '../errors.js';
import { reshape, slice } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor.js';
import { bool } from '../schema/primitives.js';
import { parseArgument } from '../schema/schema.js';
import { Module } from './module.js';

/** Many-to-one: keeps the last step of a sequence, [T, B, F] → [B, F] ([B, T, F] with batchFirst). */
export class LastStep extends Module {
  readonly batchFirst: boolean;

  constructor(batchFirst = false) {
    super();
    this.batchFirst = parseArgument('LastStep', 'batchFirst', bool(), batchFirst);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 3) throw new ShapeError(`LastStep.forward: x has shape ${formatShape(x.shape)}, expected a sequence of rank 3`);
    const axis = this.batchFirst ? 1 : 0;
    const T = x.shape[axis]!;
    const last = slice(x, axis, T - 1, T);
    return reshape(last, this.batchFirst ? [x.shape[0]!, x.shape[2]!] : [x.shape[1]!, x.shape[2]!]);
  }
}
