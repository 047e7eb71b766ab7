import type { DType } from '../dtype.js';
import { allocFloat } from '../dtype.js';
import { checkPositiveInt, checkOptionKeys } from '../errors.js';
import { fillUniform } from '../init.js';
import { linear } from '../ops/linear.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
  seed?: number;
}

/** y = x Wᵀ + b over the last axis; weight [out, in], bias [out]; PyTorch's default init U(−1/√in, 1/√in). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor; // [out, in]
  readonly bias: Tensor | null; // [out]

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptionKeys('Linear', options, ['bias', 'dtype', 'seed']);
    this.inFeatures = checkPositiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkPositiveInt('Linear', 'outFeatures', outFeatures);
    const dtype = options.dtype ?? 'float32';
    const rng = new Random(options.seed ?? 0);
    const k = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', new Tensor(allocFloat(dtype, outFeatures * inFeatures), [outFeatures, inFeatures]));
    fillUniform(this.weight.data, -k, k, rng);
    if (options.bias ?? true) {
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
