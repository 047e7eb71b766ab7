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

export interface LanguageModelBatchOptions {
  /** B: number of parallel streams. */
  batchSize: number;
  /** T: steps per window (the truncation length). */
  steps: number;
  /** Drop a last window shorter than `steps` (default false: keep it). */
  dropLast?: boolean;
}

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
    if (!(stream instanceof Int32Array)) {
      throw new TypeError(`LanguageModelBatches: stream must be an Int32Array of token ids, got ${describe(stream)}`);
    }
    for (const key of Object.keys(options)) {
      if (!['batchSize', 'steps', 'dropLast'].includes(key)) {
        throw new RangeError(`LanguageModelBatches: unknown option '${key}'; expected batchSize, steps, dropLast`);
      }
    }
    this.batchSize = positiveInt('batchSize', options.batchSize);
    this.steps = positiveInt('steps', options.steps);
    this.dropLast = options.dropLast ?? false;
    this.stream = stream;
    this.streamLength = Math.floor((stream.length - 1) / this.batchSize);
    if (this.streamLength < 1) {
      throw new RangeError(
        `LanguageModelBatches: a stream of ${stream.length} tokens is too short for batchSize ${this.batchSize}; expected at least ${this.batchSize + 1} tokens`,
      );
    }
    if (this.dropLast && this.streamLength < this.steps) {
      throw new RangeError(
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
    if (!Number.isInteger(index) || index < 0 || index >= this.windowCount) {
      throw new RangeError(`LanguageModelBatches.window: index ${index} is outside [0, ${this.windowCount})`);
    }
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
  if (typeof validationFraction !== 'number' || !(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(`splitTrainValidation: validationFraction must be in (0, 1), got ${String(validationFraction)}`);
  }
  const n = stream.length;
  const nValidation = Math.round(n * validationFraction);
  if (nValidation < 1 || nValidation > n - 1) {
    throw new RangeError(
      `splitTrainValidation: a stream of ${n} items split at fraction ${validationFraction} leaves ${n - nValidation} for training and ${nValidation} for validation; expected at least one of each`,
    );
  }
  return { train: stream.subarray(0, n - nValidation), validation: stream.subarray(n - nValidation) };
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(`LanguageModelBatches: ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
