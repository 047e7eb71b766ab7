/** Errors of the ESN package: each names what was expected and what came. */

/** A readout (or a network) was asked to predict before it was fitted. */
export class NotFittedError extends Error {
  override name = 'NotFittedError';
}

/** The ridge normal equations could not be solved (the matrix is not positive definite). */
export class SingularSystemError extends Error {
  override name = 'SingularSystemError';
}

/** A shape or width does not match the network's. */
export class EsnShapeError extends Error {
  override name = 'EsnShapeError';
}

export function checkRange(where: string, name: string, value: unknown, lo: number, hi: number, loOpen: boolean, hiOpen: boolean): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (loOpen ? value > lo : value >= lo) &&
    (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    const interval = `${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new RangeError(`${where}: ${name} must be a finite number in ${interval}, got ${String(value)}`);
  }
  return value as number;
}

export function checkPositiveInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function checkNonNegativeInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function checkFinite(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`${where}: ${name} has a non-finite value ${data[i]} at flat index ${i}; expected finite numbers`);
    }
  }
}

export function checkKeys(where: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}'; expected one of ${allowed.join(', ')}`);
    }
  }
}
