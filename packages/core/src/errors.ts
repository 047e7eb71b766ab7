/** Errors that name what was expected and what came. */

export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** What an OptionError rejected, for callers that react to it (all fields optional for old call sites). */
export interface OptionErrorDetail {
  /** The function or class that checked, e.g. 'LSTM'. */
  where?: string;
  /** The option's dotted path, e.g. 'init.identityScale'. */
  option?: string;
  value?: unknown;
  /** What is accepted, e.g. 'a boolean'. */
  expected?: string;
}

/** A bad option or argument, found before anything was allocated or changed (see schema/). */
export class OptionError extends Error {
  override name = 'OptionError';
  readonly detail: OptionErrorDetail;
  constructor(message: string, detail: OptionErrorDetail = {}) {
    super(message);
    this.detail = detail;
  }
}

/** fit found a non-finite gradient though the loss was finite, and threw before the step. */
export class NonFiniteGradientError extends Error {
  override name = 'NonFiniteGradientError';
  constructor(
    message: string,
    /** Optimizer steps done before this one (the step that did not happen). */
    readonly step: number,
    readonly epoch: number,
    readonly batchInEpoch: number,
    /** Name of the first parameter (in model.namedParameters() order) with a non-finite gradient; null if every element is finite but their norm overflowed. */
    readonly parameter: string | null,
  ) {
    super(message);
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * The checks below predate schema/ (used by @recurrent/esn until it moves to the schema);
 * new code declares a schema instead.
 */

/** Throws unless `options` has only keys from `allowed`. */
export function checkOptionKeys(where: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new OptionError(`${where}: unknown option '${key}'; expected one of ${allowed.join(', ')}`);
    }
  }
}

export function checkPositiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new OptionError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new OptionError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function checkFiniteArray(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`${where}: ${name} has a non-finite value ${data[i]} at flat index ${i}; expected finite numbers`);
    }
  }
}
