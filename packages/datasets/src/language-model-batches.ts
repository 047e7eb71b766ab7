import { OptionError, schema } from '@recurrent/core';

/**
 * Batching a long token stream for truncated BPTT (Williams & Peng 1990): the stream is cut
 * into B contiguous parallel streams, and consecutive windows of T steps walk down all B at
 * once. Window k+1 of column b continues exactly where window k of column b ended, so a model
 * can carry its hidden state from one window to the next (detached) and still see the text in
 * order.
 */

export interface LanguageModelWindow {
  inputs: Int32Array; // [steps, B]  inputs[t*B + b] = stream[b*L + offset + t]
  targets: Int32Array; // [steps, B]  the next token: stream[b*L + offset + t + 1]
  /** Steps in this window: T, or fewer for the last window when the length is not a multiple. */
  steps: number;
  /** Position of the window's first step inside each of the B streams. */
  offset: number;
  /** Index of the window in its pass. */
  index: number;
}

export const languageModelBatchOptionsSchema = schema.object({
  /** B: number of parallel streams. */
  batchSize: schema.int({ min: 1 }),
  /** T: steps per window (the truncation length). */
  steps: schema.int({ min: 1 }),
  /** Drop a last window shorter than `steps` (default false: keep it). */
  dropLast: schema.bool().default(false),
});
export type LanguageModelBatchOptions = schema.Infer<typeof languageModelBatchOptionsSchema>;

/**
 * The windows of one pass over `stream`. Each of the B columns covers L = ⌊(N − 1) / B⌋
 * consecutive inputs; the target of a column's last input is the first input of the next
 * column, which is the true next token of the stream. The ⌊…⌋ drops at most B − 1 tokens at
 * the end.
 */
export class LanguageModelBatches implements Iterable<LanguageModelWindow> {
  readonly batchSize: number;
  readonly steps: number;
  readonly dropLast: boolean;
  /** L: inputs per column. */
  readonly streamLength: number;
  private readonly stream: Int32Array;

  constructor(stream: Int32Array, options: LanguageModelBatchOptions) {
    schema.parseArgument('LanguageModelBatches', 'stream', schema.instance(Int32Array), stream);
    const o = schema.parse('LanguageModelBatches', languageModelBatchOptionsSchema, options);
    this.batchSize = o.batchSize;
    this.steps = o.steps;
    this.dropLast = o.dropLast;
    this.stream = stream;
    this.streamLength = Math.floor((stream.length - 1) / this.batchSize);
    if (this.streamLength < 1) {
      throw new OptionError(
        `LanguageModelBatches: a stream of ${stream.length} tokens is too short for batchSize ${this.batchSize}; expected at least ${this.batchSize + 1} tokens`,
      );
    }
    if (this.dropLast && this.streamLength < this.steps) {
      throw new OptionError(
        `LanguageModelBatches: each of the ${this.batchSize} columns has ${this.streamLength} steps, fewer than one window of ${this.steps} with dropLast`,
      );
    }
  }

  /** Number of windows in one pass. */
  get windowCount(): number {
    return this.dropLast ? Math.floor(this.streamLength / this.steps) : Math.ceil(this.streamLength / this.steps);
  }

  /** Number of target tokens one pass covers (B·L, or fewer with dropLast). */
  get tokenCount(): number {
    const steps = this.dropLast ? this.windowCount * this.steps : this.streamLength;
    return steps * this.batchSize;
  }

  /** Window `index` of the pass (0 ≤ index < windowCount). */
  window(index: number): LanguageModelWindow {
    schema.parseArgument('LanguageModelBatches.window', 'index', schema.int({ min: 0, max: this.windowCount - 1 }), index);
    const B = this.batchSize;
    const L = this.streamLength;
    const offset = index * this.steps;
    const steps = Math.min(this.steps, L - offset);
    const inputs = new Int32Array(steps * B); // [steps, B]
    const targets = new Int32Array(steps * B); // [steps, B]
    for (let b = 0; b < B; b++) {
      const start = b * L + offset;
      for (let t = 0; t < steps; t++) {
        inputs[t * B + b] = this.stream[start + t];
        targets[t * B + b] = this.stream[start + t + 1];
      }
    }
    return { inputs, targets, steps, offset, index };
  }

  *[Symbol.iterator](): Iterator<LanguageModelWindow> {
    const n = this.windowCount;
    for (let i = 0; i < n; i++) yield this.window(i);
  }
}

/** The windows of one pass over `stream`, in order (see LanguageModelBatches). */
export function languageModelWindows(stream: Int32Array, options: LanguageModelBatchOptions): LanguageModelBatches {
  return new LanguageModelBatches(stream, options);
}

export interface StreamSplit<A> {
  train: A;
  validation: A;
}

/**
 * Splits a stream into a training head and a contiguous validation tail holding
 * round(N · validationFraction) items. Views, not copies.
 */
export function splitTrainValidation<A extends { length: number; subarray(begin: number, end?: number): A }>(
  stream: A,
  validationFraction: number,
): StreamSplit<A> {
  const where = 'splitTrainValidation';
  schema.parseArgument(where, 'stream', schema.custom('a typed array (with subarray)', (v) => ArrayBuffer.isView(v) && typeof (v as { subarray?: unknown }).subarray === 'function'), stream);
  schema.parseArgument(where, 'validationFraction', schema.finite({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }), validationFraction);
  const n = stream.length;
  const nValidation = Math.round(n * validationFraction);
  if (nValidation < 1 || nValidation > n - 1) {
    throw new OptionError(
      `splitTrainValidation: a stream of ${n} items split at fraction ${validationFraction} leaves ${n - nValidation} for training and ${nValidation} for validation; expected at least one of each`,
    );
  }
  return { train: stream.subarray(0, n - nValidation), validation: stream.subarray(n - nValidation) };
}
