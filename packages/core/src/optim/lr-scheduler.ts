import { OptionError } from '../errors.js';

/** A learning rate as a function of the scheduler's step count (0 before the first `step()`). */
export type LrSchedule = (step: number) => number;

/**
 * Sets `optimizer.lr` from a schedule. As in PyTorch: the constructor applies schedule(0),
 * used by the first optimizer step; call `step()` after each optimizer step (or each epoch,
 * if the schedule counts epochs) to apply schedule(1), schedule(2), …
 */
export class LrScheduler {
  private count = 0;

  constructor(
    readonly optimizer: { lr: number },
    readonly schedule: LrSchedule,
  ) {
    if (typeof schedule !== 'function') throw new OptionError(`LrScheduler: schedule must be a function (step) => lr, got ${typeof schedule}`);
    this.apply();
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.count;
  }

  /** Advances one step and returns the learning rate now set. */
  step(): number {
    this.count += 1;
    return this.apply();
  }

  stateDict(): { step: number } {
    return { step: this.count };
  }

  loadStateDict(state: { step: number }): void {
    if (!Number.isInteger(state?.step) || state.step < 0) throw new OptionError(`LrScheduler.loadStateDict: step must be an integer ≥ 0, got ${String(state?.step)}`);
    this.count = state.step;
    this.apply();
  }

  private apply(): number {
    const lr = this.schedule(this.count);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new OptionError(`LrScheduler: schedule(${this.count}) returned ${String(lr)}, expected a finite learning rate ≥ 0`);
    }
    this.optimizer.lr = lr;
    return lr;
  }
}

/** lr · γ^⌊step / stepSize⌋ (PyTorch StepLR). */
export function stepDecay(lr: number, stepSize: number, gamma = 0.1): LrSchedule {
  checkRate('stepDecay', 'lr', lr);
  checkRate('stepDecay', 'gamma', gamma);
  if (!Number.isInteger(stepSize) || stepSize <= 0) throw new OptionError(`stepDecay: stepSize must be a positive integer, got ${String(stepSize)}`);
  return (step) => lr * gamma ** Math.floor(step / stepSize);
}

/** lr · γ^step (PyTorch ExponentialLR). */
export function exponentialDecay(lr: number, gamma: number): LrSchedule {
  checkRate('exponentialDecay', 'lr', lr);
  checkRate('exponentialDecay', 'gamma', gamma);
  return (step) => lr * gamma ** step;
}

/**
 * Cosine annealing from lr to minLr over totalSteps (Loshchilov & Hutter 2017, PyTorch
 * CosineAnnealingLR's closed form): minLr + (lr − minLr)(1 + cos(π step / totalSteps)) / 2,
 * then held at minLr (PyTorch's form would rise again past totalSteps).
 */
export function cosineAnnealing(lr: number, totalSteps: number, minLr = 0): LrSchedule {
  checkRate('cosineAnnealing', 'lr', lr);
  checkRate('cosineAnnealing', 'minLr', minLr);
  if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new OptionError(`cosineAnnealing: totalSteps must be a positive integer, got ${String(totalSteps)}`);
  return (step) => (step >= totalSteps ? minLr : minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2);
}

/**
 * Linear warmup before another schedule: step s < warmupSteps gets after(0) · (s + 1) / (warmupSteps + 1),
 * then step s gets after(s − warmupSteps), so the schedule after warmup starts from its own step 0.
 */
export function linearWarmup(warmupSteps: number, after: LrSchedule): LrSchedule {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) throw new OptionError(`linearWarmup: warmupSteps must be an integer ≥ 0, got ${String(warmupSteps)}`);
  if (typeof after !== 'function') throw new OptionError('linearWarmup: after must be a schedule (step) => lr');
  return (step) => (step < warmupSteps ? (after(0) * (step + 1)) / (warmupSteps + 1) : after(step - warmupSteps));
}

function checkRate(where: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new OptionError(`${where}: ${name} must be a finite number ≥ 0, got ${String(v)}`);
}
