import { checkKeys, positiveInt, resolveRandom, type RandomSource } from './common.js';

/**
 * The copy (memory) task (Hochreiter & Schmidhuber 1997; in the form of Arjovsky et al. 2016):
 * the input shows S symbols drawn uniformly from 1..K, then `delay − 1` blanks, then a
 * delimiter, then S blanks; the target is blank for the first S + delay steps and then the S
 * symbols in their original order. Classes: 0 blank, 1..K symbols, K + 1 delimiter.
 * Predicting blanks and then a uniform guess costs S·ln(K) / (2S + delay) nats per step, the
 * memoryless baseline (`copyMemoryBaseline`).
 */
export interface CopyMemoryOptions extends RandomSource {
  /** S: symbols to remember (default 10). */
  length?: number;
  /** Steps from the last symbol to the first recall step, delimiter included (≥ 1; default 100). */
  delay: number;
  /** K: alphabet size (default 8). */
  symbols?: number;
  /** B: sequences in the batch. */
  batchSize: number;
}

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
  checkKeys(where, options, ['length', 'delay', 'symbols', 'batchSize', 'seed', 'random']);
  const S = positiveInt(where, 'length', options.length ?? 10);
  const delay = positiveInt(where, 'delay', options.delay);
  const K = positiveInt(where, 'symbols', options.symbols ?? 8);
  const B = positiveInt(where, 'batchSize', options.batchSize);
  const rng = resolveRandom(where, options);
  const L = 2 * S + delay;
  const blank = 0;
  const delimiter = K + 1;
  const inputs = new Int32Array(L * B); // [L, B], blanks (0) unless set
  const targets = new Int32Array(L * B); // [L, B]
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
