import { describe, expect, it } from 'vitest';
import { recordOn, Tape } from '../autograd/tape.js';
import { Tensor } from '../tensor.js';
import { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './binary-cross-entropy.js';

function lossAndGrad(input: Tensor, target: ArrayLike<number>, options: BinaryCrossEntropyOptions) {
  const x = new Tensor(input.data.slice(), input.shape, true);
  const tape = new Tape();
  const loss = recordOn(tape, () => binaryCrossEntropy(x, Float64Array.from(target), options));
  tape.backward(loss);
  return { value: loss.data[0], grad: x.grad! };
}

function centralDifferences(input: Tensor, target: ArrayLike<number>, options: BinaryCrossEntropyOptions, h = 1e-6): number[] {
  return Array.from(input.data, (_, i) => {
    const plus = input.clone();
    plus.data[i] += h;
    const minus = input.clone();
    minus.data[i] -= h;
    const f = (t: Tensor) => binaryCrossEntropy(t, Float64Array.from(target), options).data[0];
    return (f(plus) - f(minus)) / (2 * h);
  });
}

describe('binaryCrossEntropy', () => {
  const y = [1, 0, 0.25, 1];

  it('on probabilities matches −(y ln p + (1 − y) ln(1 − p)), mean and sum', () => {
    const p = Tensor.from([0.9, 0.2, 0.5, 0.6], [2, 2], 'float64');
    const terms = [-Math.log(0.9), -Math.log(0.8), -(0.25 * Math.log(0.5) + 0.75 * Math.log(0.5)), -Math.log(0.6)];
    const total = terms.reduce((a, b) => a + b, 0);
    expect(lossAndGrad(p, y, {}).value).toBeCloseTo(total / 4, 14);
    const sum = lossAndGrad(p, y, { reduction: 'sum' });
    expect(sum.value).toBeCloseTo(total, 14);
    // d/dp = (p − y) / (p (1 − p))
    [0.9, 0.2, 0.5, 0.6].forEach((pi, i) => expect(sum.grad[i]).toBeCloseTo((pi - y[i]) / (pi * (1 - pi)), 10));
    centralDifferences(p, y, {}).forEach((g, i) => expect(Math.abs(lossAndGrad(p, y, {}).grad[i] - g)).toBeLessThan(1e-8));
  });

  it('clamps the log at −100 for p = 0 or 1, as PyTorch', () => {
    const p = Tensor.from([0, 1], [2], 'float64');
    expect(lossAndGrad(p, [1, 0], { reduction: 'sum' }).value).toBe(200);
  });

  it('fromLogits equals the probability form at σ(x) and its gradient is σ(x) − y', () => {
    const xs = [2.5, -1, 0.3, -0.7];
    const x = Tensor.from(xs, [4], 'float64');
    const sig = xs.map((v) => 1 / (1 + Math.exp(-v)));
    const viaLogits = lossAndGrad(x, y, { fromLogits: true });
    expect(viaLogits.value).toBeCloseTo(lossAndGrad(Tensor.from(sig, [4], 'float64'), y, {}).value, 13);
    sig.forEach((s, i) => expect(viaLogits.grad[i]).toBeCloseTo((s - y[i]) / 4, 14));
    centralDifferences(x, y, { fromLogits: true }).forEach((g, i) => expect(Math.abs(viaLogits.grad[i] - g)).toBeLessThan(1e-8));
  });

  it('fromLogits stays finite for huge logits', () => {
    const x = Tensor.from([1000, -1000, 1000], [3], 'float64');
    const { value, grad } = lossAndGrad(x, [0, 0, 1], { fromLogits: true, reduction: 'sum' });
    expect(value).toBe(1000); // ln(1 + e^1000) = 1000 + ln(1 + e^−1000)
    expect(Array.from(grad)).toEqual([1, 0, 0]);
  });

  it('names bad input', () => {
    const p = Tensor.from([0.5, 0.5], [2], 'float64');
    expect(() => binaryCrossEntropy(p, [1])).toThrow(/target has 1 elements, expected 2/);
    expect(() => binaryCrossEntropy(p, Tensor.from([1, 0], [1, 2]))).toThrow(/target has shape \[1,2\], expected \[2\]/);
    expect(() => binaryCrossEntropy(p, [1, 2])).toThrow(/target\[1\] = 2, expected a value in \[0, 1\]/);
    expect(() => binaryCrossEntropy(Tensor.from([0.5, 3], [2]), [1, 0])).toThrow(/input\[1\] = 3.*fromLogits/);
  });
});
