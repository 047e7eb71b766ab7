import { describe, expect, it } from 'vitest';
import { oneHot } from './common.js';
import { copyMemory, copyMemoryBaseline } from './copy-memory.js';

describe('copyMemory', () => {
  it('shows S symbols, waits, then asks for them back in order', () => {
    const S = 5;
    const delay = 7;
    const B = 3;
    const batch = copyMemory({ length: S, delay, symbols: 4, batchSize: B, seed: 9 });
    const L = 2 * S + delay;
    expect(batch.steps).toBe(L);
    expect(batch.classes).toBe(6);
    expect(batch.delimiter).toBe(5);
    for (let b = 0; b < B; b++) {
      const input = Array.from({ length: L }, (_, t) => batch.inputs[t * B + b]);
      const target = Array.from({ length: L }, (_, t) => batch.targets[t * B + b]);
      const shown = input.slice(0, S);
      expect(shown.every((s) => s >= 1 && s <= 4)).toBe(true);
      expect(input.slice(S, S + delay - 1).every((s) => s === 0)).toBe(true);
      expect(input[S + delay - 1]).toBe(batch.delimiter);
      expect(input.slice(S + delay).every((s) => s === 0)).toBe(true);
      expect(target.slice(0, S + delay).every((s) => s === 0)).toBe(true);
      expect(target.slice(S + delay)).toEqual(shown);
    }
  });

  it('reproduces with a seed', () => {
    const a = copyMemory({ delay: 20, batchSize: 4, seed: 5 });
    const b = copyMemory({ delay: 20, batchSize: 4, seed: 5 });
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
  });

  it('has the memoryless baseline S ln K / (2S + delay)', () => {
    expect(copyMemoryBaseline(10, 100, 8)).toBeCloseTo((10 * Math.log(8)) / 120, 12);
  });

  it('one-hot encodes ids', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([3], 3)).toThrow(/id 3 at position 0 is outside \[0, 3\)/);
  });
});
