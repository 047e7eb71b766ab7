import { describe, expect, it } from 'vitest';
import { fillIdentity, fillOrthogonal, fillPytorchRecurrent, fillXavierUniform } from './init.js';
import { LSTM } from './layers/lstm.js';
import { Random } from './random.js';

describe('initializers', () => {
  it('PyTorch default stays within ±1/√H and fills the range', () => {
    const a = new Float64Array(10000);
    fillPytorchRecurrent(a, 64, new Random(1));
    const k = 1 / 8;
    expect(Math.max(...a)).toBeLessThanOrEqual(k);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-k);
    expect(Math.max(...a)).toBeGreaterThan(0.99 * k);
  });
  it('Xavier uniform has variance 2 / (fanIn + fanOut)', () => {
    const a = new Float64Array(200 * 300);
    fillXavierUniform(a, 200, 300, new Random(2));
    const variance = a.reduce((s, v) => s + v * v, 0) / a.length;
    expect(variance).toBeCloseTo(2 / 500, 4);
  });
  it('orthogonal gives QᵀQ = I (tall) and QQᵀ = I (wide)', () => {
    for (const [rows, cols] of [[12, 5], [5, 12], [8, 8]] as const) {
      const q = new Float64Array(rows * cols);
      fillOrthogonal(q, rows, cols, new Random(3));
      const n = Math.min(rows, cols);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let d = 0;
          if (rows >= cols) for (let r = 0; r < rows; r++) d += q[r * cols + i]! * q[r * cols + j]!;
          else for (let c = 0; c < cols; c++) d += q[i * cols + c]! * q[j * cols + c]!;
          expect(d).toBeCloseTo(i === j ? 1 : 0, 12);
        }
      }
    }
  });
  it('identity and forget-gate bias', () => {
    const a = new Float32Array(9);
    fillIdentity(a, 3, 0.5);
    expect(Array.from(a)).toEqual([0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]);
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, init: { forgetBias: 1, recurrent: 'orthogonal' } });
    const [bIh, bHh] = ['bias_ih_l0', 'bias_hh_l0'].map((n) => lstm.namedParameters().find(([k]) => k === n)![1]);
    expect(Array.from(bIh!.data.subarray(3, 6))).toEqual([1, 1, 1]);
    expect(Array.from(bHh!.data.subarray(3, 6))).toEqual([0, 0, 0]);
  });
  it('the same seed gives the same model', () => {
    const a = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 9 });
    const b = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 9 });
    const c = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 10 });
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(b.parameters().map((p) => Array.from(p.data)));
    expect(a.parameters()[0]!.data).not.toEqual(c.parameters()[0]!.data);
  });
});
