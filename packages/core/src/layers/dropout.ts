import { OptionError } from '../errors.js';
import { applyMask } from '../ops/elementwise.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1−p). */
export class Dropout extends Module {
  readonly p: number;
  private rng: Random;

  constructor(p: number, seed = 0) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new OptionError(`Dropout: p must be in [0, 1), got ${String(p)}`);
    this.p = p;
    this.rng = new Random(seed);
  }

  /** Restarts the mask stream (reproducible masks, e.g. for gradient checks). */
  reseed(seed: number): void {
    this.rng = new Random(seed);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 - this.p;
    const mask = new Float64Array(x.size); // [x.size]
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < keep ? 1 / keep : 0;
    return applyMask(x, mask);
  }
}

