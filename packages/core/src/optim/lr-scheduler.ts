import { OptionError } from '../errors.js';
import { describeValue } from '../schema/describe.js';
import { object } from '../schema/object.js';
import { custom, finite, func, int } from '../schema/primitives.js';
import { parse, parseArgument } from '../schema/schema.js';

const rate = finite({ min: 0 });
const positiveInt = int({ min: 1 });
const scheduleSchema = func<LrSchedule>('a schedule (step) => lr');
const stepState = object({ step: int({ min: 0 }) });

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
    parseArgument('LrScheduler', 'optimizer', custom('an optimizer (an object with lr)', (v) => v !== null && typeof v === 'object' && 'lr' in v), optimizer);
    parseArgument('LrScheduler', 'schedule', scheduleSchema, schedule);
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
    this.count = parse('LrScheduler.loadStateDict', stepState, state).step;
    this.apply();
  }

  private apply(): number {
    const lr = this.schedule(this.count);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new OptionError(`LrScheduler: schedule(${this.count}) returned ${describeValue(lr)}, expected a finite learning rate ≥ 0`);
    }
    this.optimizer.lr = lr;
    return lr;
  }
}

/** lr · γ^⌊step / stepSize⌋ (PyTorch StepLR). */
export function stepDecay(lr: number, stepSize: number, gamma = 0.1): LrSchedule {
  parseArgument('stepDecay', 'lr', rate, lr);
  parseArgument('stepDecay', 'stepSize', positiveInt, stepSize);
  parseArgument('stepDecay', 'gamma', rate, gamma);
  return (step) => lr * gamma ** Math.floor(step / stepSize);
}

/** lr · γ^step (PyTorch ExponentialLR). */
export function exponentialDecay(lr: number, gamma: number): LrSchedule {
  parseArgument('exponentialDecay', 'lr', rate, lr);
  parseArgument('exponentialDecay', 'gamma', rate, gamma);
  return (step) => lr * gamma ** step;
}

/**
 * Cosine annealing from lr to minLr over totalSteps (Loshchilov & Hutter 2017, PyTorch
 * CosineAnnealingLR's closed form): minLr + (lr − minLr)(1 + cos(π step / totalSteps)) / 2,
 * then held at minLr (PyTorch's form would rise again past totalSteps).
 */
export function cosineAnnealing(lr: number, totalSteps: number, minLr = 0): LrSchedule {
  parseArgument('cosineAnnealing', 'lr', rate, lr);
  parseArgument('cosineAnnealing', 'totalSteps', positiveInt, totalSteps);
  parseArgument('cosineAnnealing', 'minLr', rate, minLr);
  return (step) => (step >= totalSteps ? minLr : minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2);
}

/**
 * Linear warmup before another schedule: step s < warmupSteps gets after(0) · (s + 1) / (warmupSteps + 1),
 * then step s gets after(s − warmupSteps), so the schedule after warmup starts from its own step 0.
 */
export function linearWarmup(warmupSteps: number, after: LrSchedule): LrSchedule {
  parseArgument('linearWarmup', 'warmupSteps', int({ min: 0 }), warmupSteps);
  parseArgument('linearWarmup', 'after', scheduleSchema, after);
  return (step) => (step < warmupSteps ? (after(0) * (step + 1)) / (warmupSteps + 1) : after(step - warmupSteps));
}
