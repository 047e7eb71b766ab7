import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { cosineAnnealing, exponentialDecay, linearWarmup, LrScheduler, stepDecay } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const take = (f: (s: number) => number, n: number) => Array.from({ length: n }, (_, s) => f(s));

describe('learning-rate schedules', () => {
  it('step decay and exponential decay', () => {
    expect(take(stepDecay(1, 2, 0.5), 5)).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(take(exponentialDecay(2, 0.5), 3)).toEqual([2, 1, 0.5]);
  });

  it('cosine annealing from lr to minLr, then held', () => {
    const f = cosineAnnealing(1, 4, 0.2);
    expect(f(0)).toBe(1);
    expect(f(2)).toBeCloseTo(0.6, 15);
    expect(f(1)).toBeCloseTo(0.2 + 0.8 * (1 + Math.SQRT1_2) / 2, 15);
    expect(f(4)).toBe(0.2);
    expect(f(9)).toBe(0.2);
  });

  it('linear warmup ramps to the following schedule, which then starts at its own step 0', () => {
    const f = linearWarmup(3, stepDecay(0.8, 2, 0.5));
    expect(take(f, 7).map((v) => +v.toFixed(12))).toEqual([0.2, 0.4, 0.6, 0.8, 0.8, 0.4, 0.4]);
  });
});

describe('LrScheduler', () => {
  it('sets the optimizer lr to schedule(0) at once and schedule(k) after k steps', () => {
    const opt = new SGD([Tensor.zeros([1])], { lr: 5 });
    const sched = new LrScheduler(opt, (s) => 1 / (s + 1));
    expect(opt.lr).toBe(1);
    sched.step();
    sched.step();
    expect(opt.lr).toBe(1 / 3);
    const restored = new LrScheduler(new SGD([Tensor.zeros([1])]), (s) => 1 / (s + 1));
    restored.loadStateDict(sched.stateDict());
    expect(restored.optimizer.lr).toBe(1 / 3);
    expect(() => new LrScheduler(opt, () => -1)).toThrow(/schedule\(0\) returned -1/);
  });
});
