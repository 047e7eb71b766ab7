import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU, LanguageModel, loadModel, LSTM, noGrad, RNN, saveModel, Tensor } from '@recurrent/core';

const dir = mkdtempSync(join(tmpdir(), 'recurrent-save-'));

describe('saving and loading models', () => {
  it('a model saved, loaded and run again gives bit-identical outputs', async () => {
    const make = (seed: number) => new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, peephole: true, seed });
    const a = make(1);
    const x = Tensor.from(Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.sin(i)), [4, 2, 3]);
    const before = noGrad(() => a.forwardSequence(x));
    const file = join(dir, 'lstm.safetensors');
    await saveModel(file, a);
    const b = make(2);
    await loadModel(file, b);
    const after = noGrad(() => b.forwardSequence(x));
    expect(Buffer.from(after.output.data.buffer).equals(Buffer.from(before.output.data.buffer))).toBe(true);
    expect(Buffer.from(after.cN!.data.buffer).equals(Buffer.from(before.cN!.data.buffer))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a language model round-trips and samples the same text', async () => {
    const a = new LanguageModel({ vocabSize: 11, hiddenSize: 8, numLayers: 2, seed: 3 });
    const file = join(dir, 'lm.safetensors');
    await saveModel(file, a);
    const b = new LanguageModel({ vocabSize: 11, hiddenSize: 8, numLayers: 2, seed: 4 });
    await loadModel(file, b);
    expect(Array.from(b.sample(Int32Array.of(1, 2), 20, { seed: 5 }))).toEqual(Array.from(a.sample(Int32Array.of(1, 2), 20, { seed: 5 })));
  });

  it('refuses the state dict of another model, naming every difference, and leaves the weights alone', async () => {
    const file = join(dir, 'gru.safetensors');
    await saveModel(file, new GRU({ inputSize: 3, hiddenSize: 4 }));
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
    const before = lstm.parameters().map((p) => p.data.slice());
    const err = await loadModel(file, lstm).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/missing weight_ih_l1/);
    expect((err as Error).message).toMatch(/weight_ih_l0 has shape \[12,3\], expected \[16,3\]/);
    lstm.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
    // Same shapes, different computation: a tanh RNN's weights are refused by a ReLU RNN.
    await saveModel(file, new RNN({ inputSize: 3, hiddenSize: 4 }));
    await expect(loadModel(file, new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' }))).rejects.toThrow(/activation/);
  });

  it('a truncated or malformed file gets a clear error', async () => {
    const file = join(dir, 'bad.safetensors');
    writeFileSync(file, Buffer.from([1, 2, 3]));
    await expect(loadModel(file, new GRU({ inputSize: 3, hiddenSize: 4 }))).rejects.toThrow(/8/);
  });
});
