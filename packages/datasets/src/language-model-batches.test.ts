import { describe, expect, it } from 'vitest';
import { LanguageModelBatches, splitTrainValidation } from './language-model-batches.js';

const ramp = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('LanguageModelBatches', () => {
  it('cuts B contiguous columns and walks them in windows of T steps', () => {
    // N = 23, B = 2: L = floor(22 / 2) = 11 inputs per column; windows of 4 steps: 4, 4, 3.
    const batches = new LanguageModelBatches(ramp(23), { batchSize: 2, steps: 4 });
    expect(batches.streamLength).toBe(11);
    expect(batches.windowCount).toBe(3);
    const windows = [...batches];
    expect(windows.map((w) => w.steps)).toEqual([4, 4, 3]);
    // [T, B] sequence-first: column 0 starts at 0, column 1 at 11.
    expect(Array.from(windows[0].inputs)).toEqual([0, 11, 1, 12, 2, 13, 3, 14]);
    expect(Array.from(windows[2].inputs)).toEqual([8, 19, 9, 20, 10, 21]);
    // Column 0's last target is the first input of column 1: the true next token.
    expect(Array.from(windows[2].targets)).toEqual([9, 20, 10, 21, 11, 22]);
  });

  it('targets are the inputs shifted by one, and windows continue each column in order', () => {
    const stream = Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 101);
    const batches = new LanguageModelBatches(stream, { batchSize: 5, steps: 16 });
    const B = 5;
    const L = batches.streamLength;
    const seen: number[][] = Array.from({ length: B }, () => []);
    for (const w of batches) {
      for (let t = 0; t < w.steps; t++) {
        for (let b = 0; b < B; b++) {
          const pos = b * L + w.offset + t;
          expect(w.inputs[t * B + b]).toBe(stream[pos]);
          expect(w.targets[t * B + b]).toBe(stream[pos + 1]);
          seen[b].push(w.inputs[t * B + b]);
        }
      }
    }
    // Reading each column across windows gives back the stream, with nothing skipped.
    expect(seen.flat()).toEqual(Array.from(stream.subarray(0, B * L)));
  });

  it('drops a short last window when asked', () => {
    const batches = new LanguageModelBatches(ramp(23), { batchSize: 2, steps: 4, dropLast: true });
    expect([...batches].map((w) => w.steps)).toEqual([4, 4]);
    expect(batches.tokenCount).toBe(16);
  });

  it('names the problem with bad input', () => {
    expect(() => new LanguageModelBatches(ramp(3), { batchSize: 4, steps: 2 })).toThrow(/too short for batchSize 4; expected at least 5 tokens/);
    expect(() => new LanguageModelBatches(ramp(30), { batchSize: 0, steps: 2 })).toThrow("LanguageModelBatches: option 'batchSize' must be an integer ≥ 1, got 0 (number)");
    expect(() => new LanguageModelBatches([1, 2, 3] as unknown as Int32Array, { batchSize: 1, steps: 2 })).toThrow("LanguageModelBatches: argument 'stream' must be an Int32Array, got [1, 2, 3] (array)");
  });
});

describe('splitTrainValidation', () => {
  it('keeps a contiguous tail for validation', () => {
    const { train, validation } = splitTrainValidation(ramp(100), 0.1);
    expect(train.length).toBe(90);
    expect(Array.from(validation)).toEqual(Array.from({ length: 10 }, (_, i) => 90 + i));
    expect(() => splitTrainValidation(ramp(100), 1)).toThrow(/\(0, 1\)/);
    expect(() => splitTrainValidation(ramp(3), 0.01)).toThrow(/expected at least one of each/);
  });
});
