import { schema } from '@recurrent/core';
import { allocInt32, oneRandomSource, randomSourceShape, resolveRandom } from './common.js';

/**
 * The copy (memory) task (Hochreiter & Schmidhuber 1997; in the form of Arjovsky et al. 2016):
 * the input shows S symbols drawn uniformly from 1..K, then `delay − 1` blanks, then a
 * delimiter, then S blanks; the target is blank for the first S + delay steps and then the S
 * symbols in their original order. Classes: 0 blank, 1..K symbols, K + 1 delimiter.
 * Predicting blanks and then a uniform guess costs S·ln(K) / (2S + delay) nats per step, the
 * memoryless baseline (`copyMemoryBaseline`).
 */
export const copyMemoryOptionsSchema = schema.object(
  {
    /** S: symbols to remember (default 10). */
    length: schema.int({ min: 1 }).default(10),
    /** Steps from the last symbol to the first recall step, delimiter included (≥ 1; default 100). */
    delay: schema.int({ min: 1 }),
    /** K: alphabet size (default 8). */
    symbols: schema.int({ min: 1, max: 2 ** 31 - 3 }).default(8),
    /** B: sequences in the batch. */
    batchSize: schema.int({ min: 1 }),
    ...randomSourceShape,
  },
  { where: oneRandomSource },
);
export type CopyMemoryOptions = schema.Infer<typeof copyMemoryOptionsSchema>;

export interface CopyMemoryBatch {
  inputs: Int32Array; // [L, B]  L = 2S + delay
  targets: Int32Array; // [L, B]
  /** L = 2S + delay. */
  steps: number;
  batchSize: number;
  /** K + 2 (blank, K symbols, delimiter). */
  classes: number;
  blank: number;
  delimiter: number;
}

export function copyMemory(options: CopyMemoryOptions): CopyMemoryBatch {
  const where = 'copyMemory';
  const o = schema.parse(where, copyMemoryOptionsSchema, options);
  const { length: S, delay, symbols: K, batchSize: B } = o;
  const L = 2 * S + delay;
  const blank = 0;
  const delimiter = K + 1;
  const inputs = allocInt32(where, 'delay', [L, B]); // [L, B], blanks (0) unless set
  const targets = allocInt32(where, 'delay', [L, B]); // [L, B]
  const rng = resolveRandom(o);
  for (let s = 0; s < S; s++) {
    for (let b = 0; b < B; b++) {
      const symbol = 1 + rng.int(K);
      inputs[s * B + b] = symbol;
      targets[(S + delay + s) * B + b] = symbol;
    }
  }
  const delimiterStep = S + delay - 1;
  for (let b = 0; b < B; b++) inputs[delimiterStep * B + b] = delimiter;
  return { inputs, targets, steps: L, batchSize: B, classes: K + 2, blank, delimiter };
}

/** Cross-entropy per step (nats) of the memoryless strategy: S·ln(K) / (2S + delay). */
export function copyMemoryBaseline(length: number, delay: number, symbols: number): number {
  return (length * Math.log(symbols)) / (2 * length + delay);
}
