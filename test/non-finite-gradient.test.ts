/**
 * One Infinity in a batch's inputs gives a finite loss but a non-finite gradient: fit must not
 * let it reach the weights. By default it throws before the step; with nonFiniteGradients:
 * 'skip' it drops the batch and counts it.
 */
import { describe, expect, it } from 'vitest';
import { Adam, fit, LastStep, Linear, LSTM, meanSquaredError, NonFiniteGradientError, Sequential, setBackend, Tensor, type FitOptions } from '@recurrent/core';
import { chosenBackends } from './helpers/backends.js';

const backends = await chosenBackends();

type Batch = { x: Tensor; y: Tensor };

function setup(dtype: 'float32' | 'float64', clip: Partial<FitOptions<Batch>>, poisoned: boolean[]) {
  const model = new Sequential(new LSTM({ inputSize: 2, hiddenSize: 4, seed: 3, dtype }), new LastStep(), new Linear(4, 1, { seed: 4, dtype }));
  const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
  const batch = (poisoned: boolean): Batch => {
    const x = Float64Array.from({ length: 5 * 3 * 2 }, (_, i) => Math.sin(i));
    if (poisoned) x[7] = Infinity;
    return { x: Tensor.from(Array.from(x), [5, 3, 2], dtype), y: Tensor.from([0.5, -0.5, 0.25], [3, 1], dtype) };
  };
  const options: FitOptions<Batch> = {
    model,
    optimizer,
    trainBatches: () => poisoned.map(batch),
    loss: ({ x, y }) => meanSquaredError(model.forward(x) as Tensor, y),
    ...clip,
  };
  return { model, optimizer, options };
}

const snapshot = (model: Sequential) => model.parameters().map((p) => Array.from(p.data));
const nonFinite = (model: Sequential) => snapshot(model).flat().filter((v) => !Number.isFinite(v)).length;
const optimizerState = (o: Adam) => JSON.stringify(o.stateDict(), (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));

const clips: Array<[string, Partial<FitOptions<Batch>>]> = [
  ['no clipping', {}],
  ['clipGradNorm', { clipGradNorm: 1 }],
  ['clipGradValue', { clipGradValue: 1 }],
  ['both clips', { clipGradValue: 1, clipGradNorm: 1 }],
];

describe.each(backends)('a non-finite gradient with a finite loss on $label', ({ backend, dtype }) => {
  for (const [clipName, clip] of clips) {
    it(`throws NonFiniteGradientError before the step and leaves weights and optimizer state as they were (${clipName})`, async () => {
      const previous = setBackend(backend);
      try {
        // Before the fix the poisoned last batch turned 16 weights into NaN and fit resolved.
        const { model, optimizer, options } = setup(dtype, clip, [false, true]);
        const seen: number[] = [];
        const run = fit({ ...options, onProgress: (p) => seen.push(p.loss) });
        const err = await run.then(
          () => null,
          (e: unknown) => e,
        );
        if (err === null) expect.fail(`fit resolved, with ${nonFinite(model)} non-finite weights`);
        expect(err).toBeInstanceOf(NonFiniteGradientError);
        // The first (clean) batch stepped; the second, with the Infinity, did not.
        expect(seen).toHaveLength(1);
        const e = err as NonFiniteGradientError;
        expect(e.step).toBe(1);
        expect(e.epoch).toBe(0);
        expect(e.batchInEpoch).toBe(1);
        expect(e.parameter).toBe('0.weight_ih_l0');
        expect(e.message).toMatch(/fit: the gradient of '0\.weight_ih_l0' holds (NaN|-?Infinity) at flat index \d+ at step 1 \(epoch 0, batch 1\)/);
        const weights = snapshot(model);
        const state = optimizerState(optimizer);
        expect(nonFinite(model)).toBe(0);
        // Same run stopped by hand after the first step: the weights and state must match.
        const ref = setup(dtype, clip, [false]);
        await fit(ref.options);
        expect(weights).toEqual(snapshot(ref.model));
        expect(state).toEqual(optimizerState(ref.optimizer));
      } finally {
        setBackend(previous);
      }
    });
  }

  it.each(clips)("with nonFiniteGradients: 'skip' resolves, counts the batch and keeps the weights finite (%s)", async (_, clip) => {
    const previous = setBackend(backend);
    try {
      const { model, options } = setup(dtype, clip, [false, true, false]);
      const skippedSeen: number[] = [];
      const r = await fit({ ...options, nonFiniteGradients: 'skip', onProgress: (p) => skippedSeen.push(p.skippedBatches) });
      expect(r.skippedBatches).toBe(1);
      expect(r.steps).toBe(2);
      expect(skippedSeen).toEqual([0, 1, 1]);
      expect(nonFinite(model)).toBe(0);
    } finally {
      setBackend(previous);
    }
  });
});
