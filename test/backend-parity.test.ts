/**
 * The same model, the same seed and the same batches on the TypeScript and native backends
 * give the same training run: per-step losses agree to float32 rounding over 100 steps.
 */
import { describe, expect, it } from 'vitest';
import { Adam, fit, GRU, LastStep, Linear, LSTM, meanSquaredError, RNN, Sequential, setBackend, Tensor, tsBackend, type Backend, type RecurrentLayer } from '@recurrent/core';
import { addingProblem } from '@recurrent/datasets';
import { chosenBackends } from './helpers/backends.js';

const native = (await chosenBackends()).find((b) => b.label === 'native');

async function lossCurve(backend: Backend, makeLayer: () => RecurrentLayer): Promise<number[]> {
  const features = makeLayer().numDirections * 16;
  const previous = setBackend(backend);
  try {
    const model = new Sequential(makeLayer(), new LastStep(), new Linear(features, 1, { seed: 4 }));
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
    const losses: number[] = [];
    await fit({
      model,
      optimizer,
      maxSteps: 100,
      trainBatches: function* () {
        for (let i = 0; ; i++) {
          const b = addingProblem({ steps: 20, batchSize: 16, seed: i });
          yield { x: new Tensor(b.inputs, [20, 16, 2]), y: new Tensor(b.targets, [16, 1]) };
        }
      },
      loss: ({ x, y }) => meanSquaredError(model.forward(x), y),
      onProgress: (p) => losses.push(p.loss),
    });
    return losses;
  } finally {
    setBackend(previous);
  }
}

describe.runIf(native)('TypeScript and native backends train alike', () => {
  const layers: Array<[string, () => RecurrentLayer]> = [
    ['LSTM', () => new LSTM({ inputSize: 2, hiddenSize: 16, numLayers: 2, seed: 3 })],
    ['GRU', () => new GRU({ inputSize: 2, hiddenSize: 16, bidirectional: true, seed: 3 })],
    ['RNN', () => new RNN({ inputSize: 2, hiddenSize: 16, seed: 3 })],
  ];
  for (const [name, make] of layers) {
    it(`${name}: 100 steps of Adam`, async () => {
      const ts = await lossCurve(tsBackend, make);
      const nat = await lossCurve(native!.backend, make);
      const worst = Math.max(...ts.map((l, i) => Math.abs(l - nat[i]!) / Math.abs(l)));
      console.log(`${name}: loss ${ts[0]!.toFixed(5)} → ${ts[99]!.toFixed(5)} (ts), ${nat[99]!.toFixed(5)} (native); worst relative difference over 100 steps ${worst.toExponential(2)}`);
      expect(nat).toHaveLength(100);
      // float32 rounding (2^-24 ≈ 6e-8 per operation) accumulated over 100 steps of training.
      expect(worst).toBeLessThan(1e-5);
    });
  }
});
