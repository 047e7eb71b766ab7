import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { Embedding } from './embedding.js';
import { GRU } from './gru.js';
import { Linear } from './linear.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';

const lstm = () => new LSTM({ inputSize: 4, hiddenSize: 3, numLayers: 2 });

describe('recurrent layers reject bad input with what was expected and what came', () => {
  it('shape mismatch of x', () => {
    expect(() => lstm().forward(Tensor.zeros([7, 3, 5]))).toThrow('LSTM.forward: x has shape [7,3,5], expected [T, B, 4] (inputSize 4)');
    expect(() => lstm().forward(Tensor.zeros([7, 4]))).toThrow('x has shape [7,4], expected [T, B, 4]');
    const bf = new GRU({ inputSize: 2, hiddenSize: 3, batchFirst: true });
    expect(() => bf.forward(Tensor.zeros([2, 5, 3]))).toThrow('expected [B, T, 2]');
  });
  it('dtype mismatch', () => {
    expect(() => lstm().forward(Tensor.zeros([2, 1, 4], 'float64'))).toThrow('x is float64, expected float32');
  });
  it('empty sequences and empty batches', () => {
    expect(() => lstm().forward(Tensor.zeros([0, 2, 4]))).toThrow('the sequence is empty');
    expect(() => lstm().forward(Tensor.zeros([3, 0, 4]))).toThrow('the batch is empty');
  });
  it('initial states of the wrong shape, or c0 for a cell without one', () => {
    const x = Tensor.zeros([3, 2, 4]);
    expect(() => lstm().forwardSequence(x, { h0: Tensor.zeros([1, 2, 3]) })).toThrow('h0 has shape [1,2,3], expected [2,2,3]');
    expect(() => new RNN({ inputSize: 4, hiddenSize: 3 }).forwardSequence(x, { c0: Tensor.zeros([1, 2, 3]) })).toThrow('c0 was given, but RNN has no cell state');
  });
  it('non-finite input when asked to reject it', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, rejectNonFinite: true });
    const x = Tensor.zeros([2, 1, 2]);
    x.data[3] = NaN;
    expect(() => layer.forward(x)).toThrow('x has a non-finite value NaN at flat index 3');
    const h0 = Tensor.zeros([1, 1, 3]);
    h0.data[0] = Infinity;
    expect(() => layer.forwardSequence(Tensor.zeros([2, 1, 2]), { h0 })).toThrow('h0 has a non-finite value Infinity');
    // Without the option NaN flows through (as in PyTorch) and nothing throws.
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3 }).forward(x)).not.toThrow();
  });
  it('unknown and invalid options', () => {
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, peepholes: true } as never)).toThrow("LSTM: unknown option 'peepholes'");
    expect(() => new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: 'gelu' } as never)).toThrow("RNN: option 'nonlinearity' must be one of 'tanh', 'relu', 'sigmoid', got 'gelu' (string)");
    expect(() => new GRU({ inputSize: 0, hiddenSize: 3 })).toThrow("GRU: option 'inputSize' must be an integer ≥ 1, got 0 (number)");
    expect(() => new GRU({ inputSize: 2, hiddenSize: 3, dropout: 1 })).toThrow("GRU: option 'dropout' must be a finite number in [0, 1), got 1 (number)");
    expect(() => new GRU({ inputSize: 2, hiddenSize: 3, minimal: true, resetAfter: false })).toThrow('resetAfter does not apply to the minimal GRU');
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, coupled: true, noInputGate: true })).toThrow('cannot combine with noInputGate');
    expect(() => new RNN({ inputSize: 2, hiddenSize: 3, init: { forgetBias: 1 } })).toThrow('init.forgetBias applies to LSTM only');
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, dtype: 'float16' as never })).toThrow("LSTM: option 'dtype' must be one of 'float32', 'float64', got 'float16' (string)");
  });
  it('Linear and Embedding', () => {
    expect(() => new Linear(3, 2).forward(Tensor.zeros([4, 5]))).toThrow('linear: x has shape [4,5], expected [..., 3]');
    expect(() => new Embedding(10, 4).forward(Int32Array.of(1, 10))).toThrow("Embedding.forward: argument 'ids' holds 10 at position 1; expected ids in [0, 10)");
  });
  it('a failed call leaves the weights untouched', () => {
    const layer = lstm();
    const before = layer.parameters().map((p) => p.data.slice());
    expect(() => layer.forward(Tensor.zeros([2, 2, 9]))).toThrow();
    layer.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
  });
});
