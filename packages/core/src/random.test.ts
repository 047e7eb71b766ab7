import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('reproduces a stream from a seed, and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(new Random(43).nextUint32()).not.toBe(xs[0]);
  });
  it('uniform has mean 1/2 and variance 1/12; normal has mean 0 and variance 1', () => {
    const r = new Random(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let ns = 0;
    let ns2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      s2 += u * u;
      const z = r.normal();
      ns += z;
      ns2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(ns / n).toBeCloseTo(0, 2);
    expect(ns2 / n).toBeCloseTo(1, 1);
  });
  it('int covers [0, n) and shuffle is a permutation', () => {
    const r = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(7));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
