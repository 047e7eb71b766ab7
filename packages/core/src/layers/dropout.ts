import { applyMask } from '../ops/elementwise.js';
import { Random } from '../random.js';
import { seed as seedSchema } from '../schema/common.js';
import { finite } from '../schema/primitives.js';
import { parseArgument } from '../schema/schema.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1−p). */
export class Dropout extends Module {
  readonly p: number;
  private rng: Random;

  constructor(p: number, seed = 0) {
    super();
    this.p = parseArgument('Dropout', 'p', finite({ min: 0, max: 1, exclusiveMax: true }), p);
    this.rng = new Random(parseArgument('Dropout', 'seed', seedSchema(), seed));
  }

  /** Restarts the mask stream (reproducible masks, e.g. for gradient checks). */
  reseed(seed: number): void {
    this.rng = new Random(parseArgument('Dropout.reseed', 'seed', seedSchema(), seed));
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 - this.p;
    const mask = new Float64Array(x.size); // [x.size]
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < keep ? 1 / keep : 0;
    return applyMask(x, mask);
  }
}

