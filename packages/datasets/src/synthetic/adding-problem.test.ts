import { Random } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { addingProblem } from './adding-problem.js';

describe('addingProblem', () => {
  it('marks exactly one step in each half and targets the sum of the marked values', () => {
    const T = 11;
    const B = 64;
    const { inputs, targets, markers } = addingProblem({ steps: T, batchSize: B, seed: 3 });
    expect(inputs).toBeInstanceOf(Float32Array);
    expect(inputs.length).toBe(T * B * 2);
    expect(targets.length).toBe(B);
    const half = Math.floor(T / 2);
    for (let b = 0; b < B; b++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const value = inputs[(t * B + b) * 2];
        const mark = inputs[(t * B + b) * 2 + 1];
        expect(value >= 0 && value < 1).toBe(true);
        expect(mark === 0 || mark === 1).toBe(true);
        if (mark === 1) {
          marked.push(t);
          sum += value;
        }
      }
      expect(marked.length).toBe(2);
      expect(marked[0]).toBeLessThan(half);
      expect(marked[1]).toBeGreaterThanOrEqual(half);
      expect(marked).toEqual([markers[2 * b], markers[2 * b + 1]]);
      expect(targets[b]).toBe(Math.fround(sum));
    }
  });

  it('reproduces with the same seed and differs with another', () => {
    const a = addingProblem({ steps: 20, batchSize: 8, seed: 42, dtype: 'float64' });
    const b = addingProblem({ steps: 20, batchSize: 8, random: new Random(42), dtype: 'float64' });
    const c = addingProblem({ steps: 20, batchSize: 8, seed: 43, dtype: 'float64' });
    expect(a.inputs).toBeInstanceOf(Float64Array);
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
    expect(Array.from(a.inputs)).not.toEqual(Array.from(c.inputs));
  });

  it('spreads the marks over each half', () => {
    const T = 10;
    const { markers } = addingProblem({ steps: T, batchSize: 2000, seed: 1 });
    const firstSeen = new Set<number>();
    const secondSeen = new Set<number>();
    for (let b = 0; b < 2000; b++) {
      firstSeen.add(markers[2 * b]);
      secondSeen.add(markers[2 * b + 1]);
    }
    expect([...firstSeen].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4]);
    expect([...secondSeen].sort((x, y) => x - y)).toEqual([5, 6, 7, 8, 9]);
  });

  it('rejects bad options', () => {
    expect(() => addingProblem({ steps: 1, batchSize: 2 })).toThrow("addingProblem: option 'steps' must be an integer ≥ 2, got 1 (number)");
    expect(() => addingProblem({ steps: 4, batchSize: 2, dtype: 'int8' as never })).toThrow("addingProblem: option 'dtype' must be one of 'float32', 'float64', got 'int8' (string)");
    expect(() => addingProblem({ steps: 4, batchSize: 2, seeed: 1 } as never)).toThrow(/unknown option 'seeed'/);
  });
});
