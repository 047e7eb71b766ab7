/** The option-validation issue's examples, each as it was reported (silently accepted or a deep error). */
import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError } from '../errors.js';
import { loadStateDict } from '../io/state-dict.js';
import { GRU } from '../layers/gru.js';
import { Linear } from '../layers/linear.js';
import { LSTM } from '../layers/lstm.js';
import { RNN } from '../layers/rnn.js';
import { meanSquaredError } from '../loss/mean-squared-error.js';
import { LanguageModel } from '../models/language-model.js';
import { SGD } from '../optim/sgd.js';
import { Tensor } from '../tensor.js';
import { fit, fitOptionsSchema } from '../train/fit.js';

const base = { inputSize: 2, hiddenSize: 3 };

/** f throws an OptionError with exactly this message. */
function expectOptionError(f: () => unknown, message: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OptionError);
  expect((caught as Error).message).toBe(message);
}

describe('the issue examples', () => {
  it("batchFirst: 'false', bidirectional: 'no' and bias: 'false' are refused, not read as truthy", () => {
    expectOptionError(() => new LSTM({ ...base, batchFirst: 'false' as never }), "LSTM: option 'batchFirst' must be a boolean, got 'false' (string)");
    expect(() => new LSTM({ ...base, bidirectional: 'no' as never })).toThrow("LSTM: option 'bidirectional' must be a boolean, got 'no' (string)");
    expect(() => new GRU({ ...base, bias: 'false' as never })).toThrow("GRU: option 'bias' must be a boolean, got 'false' (string)");
    expect(() => new LSTM({ ...base, peephole: 'yes' as never })).toThrow("LSTM: option 'peephole' must be a boolean, got 'yes' (string)");
  });

  it("init: { recurrent: 'bogus' } and a NaN identityScale are refused with the nested path", () => {
    expect(() => new RNN({ ...base, init: { recurrent: 'bogus' as never } })).toThrow(
      "RNN: option 'init.recurrent' must be one of 'default', 'orthogonal', 'identity', got 'bogus' (string)",
    );
    expect(() => new RNN({ ...base, init: { recurrent: 'identity', identityScale: NaN } })).toThrow(
      "RNN: option 'init.identityScale' must be a finite number, got NaN (number)",
    );
    expect(() => new RNN({ ...base, init: { recurrnt: 'identity' } as never })).toThrow(
      "RNN: unknown option 'init.recurrnt'; did you mean 'recurrent'? expected one of input, recurrent, identityScale, bias, forgetBias",
    );
    expect(() => new RNN({ ...base, init: { identityScale: 2 } })).toThrow("option 'init.identityScale' applies only with init.recurrent: 'identity'");
  });

  it('seed: NaN and seed: 1.5 are refused instead of aliasing seeds 0 and 1', () => {
    expect(() => new LSTM({ ...base, seed: NaN })).toThrow("LSTM: option 'seed' must be an integer in [0, 4294967295], got NaN (number)");
    expect(() => new LSTM({ ...base, seed: 1.5 })).toThrow("LSTM: option 'seed' must be an integer in [0, 4294967295], got 1.5 (number)");
    expect(() => new Linear(2, 2, { seed: -1 })).toThrow(OptionError);
  });

  it('hiddenSize: 1e6 names the option and the tensor instead of "Invalid typed array length"', () => {
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 1e6 })).toThrow(
      "LSTM: option 'hiddenSize' makes weight_hh_l0 of shape [4000000, 1000000] (4.000e+12 elements, 1.49e+4 GiB); expected at most 2147483647 elements and 8 GiB per tensor",
    );
    expect(() => new Linear(3e9, 1)).toThrow("Linear: option 'inFeatures' makes weight of shape [1, 3000000000]");
    expect(() => new LanguageModel({ vocabSize: 5e9, hiddenSize: 4 })).toThrow(OptionError);
  });

  it('LanguageModel.sample honours topK (and topP) instead of ignoring it', () => {
    const model = new LanguageModel({ vocabSize: 20, hiddenSize: 4, numLayers: 1, seed: 2 });
    const prompt = Int32Array.of(1, 2, 3);
    // With topK 1 sampling is greedy at any temperature.
    expect(Array.from(model.sample(prompt, 12, { topK: 1, temperature: 5, seed: 9 }))).toEqual(Array.from(model.sample(prompt, 12, { temperature: 0 })));
    expect(Array.from(model.sample(prompt, 12, { topP: 1e-9, temperature: 5, seed: 9 }))).toEqual(Array.from(model.sample(prompt, 12, { temperature: 0 })));
    // topK 3 draws only among each step's three most likely tokens.
    const sampled = model.sample(prompt, 30, { topK: 3, temperature: 10, seed: 4 });
    const unrestricted = model.sample(prompt, 30, { temperature: 10, seed: 4 });
    expect(Array.from(sampled)).not.toEqual(Array.from(unrestricted));
    let state = model.logits(prompt, 3, 1);
    let last = Array.from(state.logits.data.subarray(2 * 20));
    for (const id of sampled) {
      const top3 = last.map((v, i) => [v, i]).sort((a, b) => b[0]! - a[0]!).slice(0, 3).map(([, i]) => i);
      expect(top3).toContain(id);
      state = model.logits(Int32Array.of(id), 1, 1, state.state);
      last = Array.from(state.logits.data);
    }
    expect(() => model.sample(prompt, 2, { topK: 0 })).toThrow("LanguageModel.sample: option 'topK' must be an integer ≥ 1, got 0 (number)");
    expect(() => model.sample(prompt, 2, { top_k: 5 } as never)).toThrow("LanguageModel.sample: unknown option 'top_k'; did you mean 'topK'? expected one of temperature, seed, topK, topP");
  });

  it('forwardSequence(x, { lengths }) is refused as not supported instead of ignored', () => {
    const layer = new LSTM(base);
    expect(() => layer.forwardSequence(Tensor.zeros([2, 1, 2]), { lengths: [2] } as never)).toThrow(
      "LSTM.forwardSequence: option 'lengths' is not supported: variable-length batches are not implemented yet; pad the batch and mask the loss",
    );
  });

  it("loadStateDict refuses data: ['abc', …] and data: { length: 16 } instead of loading NaN", () => {
    const layer = new Linear(4, 4, { bias: false });
    const before = layer.weight.data.slice();
    expect(() => loadStateDict(layer, { weight: { shape: [4, 4], data: ['abc', ...Array<number>(15).fill(0)] as never } })).toThrow(
      "weight holds 'abc' (string) at flat index 0, expected finite numbers",
    );
    expect(() => loadStateDict(layer, { weight: { shape: [4, 4], data: { length: 16 } as never } })).toThrow(
      'weight data is an object with keys length, expected a typed array or an array of numbers',
    );
    expect(() => loadStateDict(layer, { weight: { shape: [4, 4], data: new Float32Array(16).fill(NaN) } })).toThrow('weight holds NaN (number) at flat index 0');
    expect(layer.weight.data).toEqual(before);
  });

  it('a fit loss function that returns a number, or empty trainBatches, gets a named error', async () => {
    const model = new Linear(1, 1);
    const optimizer = new SGD(model.parameters());
    const trainBatches = () => [Tensor.from([1], [1, 1])];
    const numberLoss = fit({ model, optimizer, trainBatches, loss: () => 0.5 as never });
    await expect(numberLoss).rejects.toBeInstanceOf(OptionError);
    await expect(numberLoss).rejects.toThrow("fit: option 'loss' must return a scalar Tensor, got 0.5 (number)");
    await expect(fit({ model, optimizer, trainBatches, loss: (x) => model.forward(x) as never, epochs: 1 })).resolves.toBeDefined();
    await expect(fit({ model, optimizer, trainBatches, loss: () => Tensor.zeros([2]) })).rejects.toThrow(ShapeError);
    await expect(fit({ model, optimizer, trainBatches: () => [], loss: (x: Tensor) => meanSquaredError(model.forward(x), [0]) })).rejects.toThrow(
      'fit: trainBatches() yielded no batches in epoch 0; expected at least one',
    );
  });

  it("fit's accepted keys are the schema's: a field added there is accepted with no other list to update", async () => {
    expect(fitOptionsSchema.keys).toEqual([
      'model',
      'optimizer',
      'loss',
      'trainBatches',
      'validationBatches',
      'epochs',
      'maxSteps',
      'maxSeconds',
      'clipGradNorm',
      'clipGradValue',
      'nonFiniteGradients',
      'onProgress',
      'learningRate',
      'signal',
    ]);
    const model = new Linear(1, 1);
    await expect(fit({ model, optimizer: new SGD(model.parameters()), trainBatches: () => [], loss: () => Tensor.zeros([1]), epoch: 3 } as never)).rejects.toThrow(
      "fit: unknown option 'epoch'; did you mean 'epochs'? expected one of model, optimizer, loss, trainBatches, validationBatches, epochs, maxSteps, maxSeconds, clipGradNorm, clipGradValue, nonFiniteGradients, onProgress, learningRate, signal",
    );
  });
});
