import type { DType } from '../dtype.js';
import { allocFloat } from '../dtype.js';
import { fillUniform } from '../init.js';
import { linear } from '../ops/linear.js';
import { Random } from '../random.js';
import { dtype, seed } from '../schema/common.js';
import { object } from '../schema/object.js';
import { bool, int } from '../schema/primitives.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import { checkTensorSize } from '../schema/tensor-size.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

export const linearOptionsSchema = object({
  bias: bool().default(true),
  dtype: dtype().default('float32'),
  seed: seed().default(0),
});
export type LinearOptions = Infer<typeof linearOptionsSchema>;

/** y = x Wᵀ + b over the last axis; weight [out, in], bias [out]; PyTorch's default init U(−1/√in, 1/√in). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor; // [out, in]
  readonly bias: Tensor | null; // [out]

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = parseArgument('Linear', 'inFeatures', int({ min: 1 }), inFeatures);
    this.outFeatures = parseArgument('Linear', 'outFeatures', int({ min: 1 }), outFeatures);
    const o = parse('Linear', linearOptionsSchema, options);
    const dtype: DType = o.dtype;
    checkTensorSize('Linear', inFeatures > outFeatures ? 'inFeatures' : 'outFeatures', [outFeatures, inFeatures], dtype === 'float64' ? 8 : 4, 'weight');
    const rng = new Random(o.seed);
    const k = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', new Tensor(allocFloat(dtype, outFeatures * inFeatures), [outFeatures, inFeatures]));
    fillUniform(this.weight.data, -k, k, rng);
    if (o.bias) {
      this.bias = this.registerParameter('bias', new Tensor(allocFloat(dtype, outFeatures), [outFeatures]));
      fillUniform(this.bias.data, -k, k, rng);
    } else {
      this.bias = null;
    }
  }

  config(): Record<string, unknown> {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
