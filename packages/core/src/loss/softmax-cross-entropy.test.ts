import { describe, expect, it } from 'vitest';
import { recordOn, Tape } from '../autograd/tape.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy.js';

/** Runs the loss on a tape and returns its value and d loss / d logits (upstream gradient `seed`). */
function lossAndGrad(logits: Tensor, targets: Int32Array, options: SoftmaxCrossEntropyOptions, seed = 1) {
  const x = new Tensor(logits.data.slice(), logits.shape, true);
  const tape = new Tape();
  const loss = recordOn(tape, () => softmaxCrossEntropy(x, targets, options));
  tape.backward(loss, Float64Array.of(seed));
  return { value: loss.data[0], grad: x.grad as Float64Array };
}

describe('softmaxCrossEntropy', () => {
  const logits = Tensor.from([1, 2, 3, 1, 1, 1], [2, 3], 'float64');
  const targets = Int32Array.of(2, 0);
  const lse0 = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);

  it('matches the hand computation: mean over rows, softmax minus one-hot gradient', () => {
    const { value, grad } = lossAndGrad(logits, targets, {});
    const row0 = lse0 - 3;
    const row1 = Math.log(3);
    expect(value).toBeCloseTo((row0 + row1) / 2, 14);
    const p0 = [1, 2, 3].map((z) => Math.exp(z - lse0));
    const expected = [p0[0] / 2, p0[1] / 2, (p0[2] - 1) / 2, (1 / 3 - 1) / 2, 1 / 6, 1 / 6];
    expected.forEach((e, i) => expect(grad[i]).toBeCloseTo(e, 14));
  });

  it('weights rows by the mask and divides the mean by the mask sum', () => {
    const mask = Float64Array.of(0.5, 0);
    const mean = lossAndGrad(logits, targets, { mask });
    expect(mean.value).toBeCloseTo(lse0 - 3, 14); // (0.5 · row0) / 0.5
    expect(Array.from(mean.grad.subarray(3))).toEqual([0, 0, 0]);
    const sum = lossAndGrad(logits, targets, { mask, reduction: 'sum' });
    expect(sum.value).toBeCloseTo(0.5 * (lse0 - 3), 14);
    // A float32 mask is cast to the logits' dtype.
    expect(lossAndGrad(logits, targets, { mask: Float32Array.of(0.5, 0) }).value).toBeCloseTo(lse0 - 3, 14);
  });

  it('gives 0 and passes no gradient for an all-zero mask', () => {
    const { value, grad } = lossAndGrad(logits, targets, { mask: new Float64Array(2) });
    expect(value).toBe(0);
    expect(grad).toBeNull();
  });

  it('has the gradient of central differences in float64, scaled by the upstream gradient', () => {
    const rng = new Random(11);
    const N = 6;
    const C = 5;
    const x = Tensor.from(Array.from({ length: N * C }, () => rng.normal(0, 2)), [N, C], 'float64');
    const t = Int32Array.from({ length: N }, () => rng.int(C));
    const mask = Float64Array.from({ length: N }, (_, n) => (n === 2 ? 0 : 0.25 + rng.uniform()));
    for (const reduction of ['mean', 'sum'] as const) {
      const options = { mask, reduction };
      const { grad } = lossAndGrad(x, t, options, 1.7);
      const h = 1e-6;
      for (let i = 0; i < N * C; i++) {
        const plus = x.clone();
        plus.data[i] += h;
        const minus = x.clone();
        minus.data[i] -= h;
        const numeric = (1.7 * (softmaxCrossEntropy(plus, t, options).data[0] - softmaxCrossEntropy(minus, t, options).data[0])) / (2 * h);
        expect(Math.abs(grad[i] - numeric)).toBeLessThan(1e-8);
      }
    }
  });

  it('computes float32 logits to float32 precision', () => {
    const x32 = Tensor.from(logits.data, [2, 3], 'float32');
    const loss = softmaxCrossEntropy(x32, targets);
    expect(loss.dtype).toBe('float32');
    expect(loss.shape).toEqual([1]);
    expect(loss.data[0]).toBeCloseTo((lse0 - 3 + Math.log(3)) / 2, 6);
  });

  it('names shape and range errors', () => {
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3, 1]), targets)).toThrow(/logits has shape \[2,3,1\], expected \[N, C\]/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([3, 3]), targets)).toThrow(/targets has 2 entries, expected N=3/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), Int32Array.of(0, 3))).toThrow(/targets\[1\] = 3 is outside \[0, 3\)/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), targets, { mask: Float32Array.of(1) })).toThrow(/mask has 1 entries, expected N=2/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), targets, { mask: Float32Array.of(1, -1) })).toThrow(/mask\[1\] = -1/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), targets, { reduction: 'none' as never })).toThrow("softmaxCrossEntropy: option 'reduction' must be one of 'mean', 'sum', got 'none' (string)");
  });
});
