import { describe, expect, it } from 'vitest';
import { recordOn, Tape } from '../autograd/tape.js';
import { Tensor } from '../tensor.js';
import { meanSquaredError } from './mean-squared-error.js';

describe('meanSquaredError', () => {
  it('is the mean (or sum) of squared differences with gradient 2 (pred − target) / n', () => {
    const pred = Tensor.from([1, 2, 3, 4], [2, 2], 'float64');
    pred.requiresGrad = true;
    const target = Tensor.from([0, 2, 5, 3], [2, 2], 'float64');
    target.requiresGrad = true;
    const tape = new Tape();
    const loss = recordOn(tape, () => meanSquaredError(pred, target));
    expect(loss.data[0]).toBe((1 + 0 + 4 + 1) / 4);
    tape.backward(loss);
    expect(Array.from(pred.grad!)).toEqual([0.5, 0, -1, 0.5]);
    expect(Array.from(target.grad!)).toEqual([-0.5, 0, 1, -0.5]);
    expect(meanSquaredError(pred, [0, 2, 5, 3], { reduction: 'sum' }).data[0]).toBe(6);
  });

  it('agrees with central differences in float64', () => {
    const values = [0.3, -1.2, 2.2, 0.05, -0.4, 1.1];
    const target = [0.1, 0.1, 2, -1, 0, 3];
    const pred = Tensor.from(values, [3, 2], 'float64');
    pred.requiresGrad = true;
    const tape = new Tape();
    const loss = recordOn(tape, () => meanSquaredError(pred, target));
    tape.backward(loss);
    const h = 1e-6;
    values.forEach((_, i) => {
      const plus = Tensor.from(values, [3, 2], 'float64');
      plus.data[i] += h;
      const minus = Tensor.from(values, [3, 2], 'float64');
      minus.data[i] -= h;
      const numeric = (meanSquaredError(plus, target).data[0] - meanSquaredError(minus, target).data[0]) / (2 * h);
      expect(Math.abs(pred.grad![i] - numeric)).toBeLessThan(1e-8);
    });
  });

  it('names shape errors', () => {
    expect(() => meanSquaredError(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(/target has shape \[3,2\], expected \[2,3\]/);
    expect(() => meanSquaredError(Tensor.zeros([2, 3]), [1, 2])).toThrow(/target has 2 elements, expected 6/);
  });
});
