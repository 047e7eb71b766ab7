import type { FloatArray } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * A tape of backward closures. While a tape is recording, every op whose inputs require a
 * gradient pushes one closure; `backward(loss)` seeds d(loss) and replays them in reverse.
 * Each closure reads its outputs' `grad` (skipping when no gradient reached them) and adds
 * into its inputs' `grad`.
 */
export class Tape {
  private readonly records: Array<() => void> = [];
  private used = false;

  push(backward: () => void): void {
    if (this.used) throw new Error('Tape.push: this tape has already been replayed; record a new one');
    this.records.push(backward);
  }

  get length(): number {
    return this.records.length;
  }

  /**
   * Replays the tape. `loss` must be a scalar unless `seed` (its upstream gradient, same size)
   * is given. Gradients accumulate into every tensor with `requiresGrad`.
   */
  backward(loss: Tensor, seed?: FloatArray): void {
    if (this.used) throw new Error('Tape.backward: this tape has already been replayed');
    this.used = true;
    if (seed === undefined) {
      if (loss.size !== 1) throw new ShapeError(`Tape.backward: loss has shape ${formatShape(loss.shape)}, expected a scalar (or pass a seed gradient)`);
      loss.gradBuffer()[0] += 1;
    } else {
      loss.accumulateGrad(seed);
    }
    for (let i = this.records.length - 1; i >= 0; i--) this.records[i]!();
    this.records.length = 0;
  }
}

let active: Tape | null = null;

/** The tape recording now, or null. */
export function activeTape(): Tape | null {
  return active;
}

/** Runs `fn` while `tape` records. Nested calls restore the outer tape. */
export function recordOn<T>(tape: Tape, fn: () => T): T {
  const outer = active;
  active = tape;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/** Runs `fn` with no tape recording (inference). */
export function noGrad<T>(fn: () => T): T {
  const outer = active;
  active = null;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/**
 * Records `backward` when a tape is active and any input requires a gradient; marks the
 * outputs as requiring one. Returns whether it recorded.
 */
export function recordOp(inputs: readonly (Tensor | null | undefined)[], outputs: readonly Tensor[], backward: () => void): boolean {
  if (active === null) return false;
  if (!inputs.some((t) => t?.requiresGrad)) return false;
  for (const o of outputs) o.requiresGrad = true;
  active.push(backward);
  return true;
}

/** Whether an op running now should keep what its backward needs. */
export function gradNeeded(inputs: readonly (Tensor | null | undefined)[]): boolean {
  return active !== null && inputs.some((t) => t?.requiresGrad);
}
