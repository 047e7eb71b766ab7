import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { clipGradNorm, clipGradValue, firstNonFiniteGradient } from './clip-grad.js';

function withGrad(values: number[]): Tensor {
  const t = Tensor.zeros([values.length], 'float64', true);
  t.accumulateGrad(Float64Array.from(values));
  return t;
}

describe('clipGradNorm', () => {
  it('returns the global L2 norm and scales all gradients by maxNorm / (norm + 1e-6) when above', () => {
    const a = withGrad([3, 4]);
    const b = withGrad([12]);
    const none = Tensor.zeros([5], 'float64', true); // no gradient: skipped
    expect(clipGradNorm([a, b, none], 6.5)).toBe(13);
    const k = 6.5 / (13 + 1e-6);
    expect(Array.from(a.grad!)).toEqual([3 * k, 4 * k]);
    expect(Array.from(b.grad!)).toEqual([12 * k]);
    expect(none.grad).toBeNull();
    expect(Math.hypot(...a.grad!, ...b.grad!)).toBeCloseTo(6.5, 5);
  });

  it('leaves gradients alone below the limit and supports the max norm', () => {
    const a = withGrad([3, -4]);
    expect(clipGradNorm([a], 10)).toBe(5);
    expect(Array.from(a.grad!)).toEqual([3, -4]);
    expect(clipGradNorm([a], 2, { normType: Infinity })).toBe(4);
    expect(Array.from(a.grad!)).toEqual([(3 * 2) / (4 + 1e-6), (-4 * 2) / (4 + 1e-6)]);
  });

  it('passes a non-finite norm through so the caller can skip the step', () => {
    expect(clipGradNorm([withGrad([1, NaN])], 1)).toBeNaN();
    // An Infinity leaves every gradient as it was (scaling by 1 / Infinity would zero the finite ones and make the Infinity NaN).
    const inf = withGrad([3, Infinity]);
    const other = withGrad([4]);
    expect(clipGradNorm([inf, other], 1)).toBe(Infinity);
    expect(Array.from(inf.grad!)).toEqual([3, Infinity]);
    expect(Array.from(other.grad!)).toEqual([4]);
    expect(() => clipGradNorm([withGrad([1])], -1)).toThrow("clipGradNorm: argument 'maxNorm' must be a finite number ≥ 0, got -1 (number)");
  });
});

describe('clipGradValue', () => {
  it('clamps each element into [−v, v]', () => {
    const a = withGrad([0.5, -3, 2, -0.1]);
    clipGradValue([a], 1);
    expect(Array.from(a.grad!)).toEqual([0.5, -1, 1, -0.1]);
    expect(() => clipGradValue([a], 0)).toThrow("clipGradValue: argument 'clipValue' must be a finite number > 0, got 0 (number)");
  });
});

describe('firstNonFiniteGradient', () => {
  it('finds the first NaN or ±Infinity over the parameters in order, skipping null gradients', () => {
    const none = Tensor.zeros([2], 'float64', true);
    expect(firstNonFiniteGradient([none, withGrad([1, 2])])).toBeNull();
    expect(firstNonFiniteGradient([none, withGrad([1, 2]), withGrad([0, -Infinity, NaN])])).toEqual({ param: 2, index: 1, value: -Infinity });
    expect(firstNonFiniteGradient([withGrad([NaN]), withGrad([Infinity])])).toEqual({ param: 0, index: 0, value: NaN });
  });
});
