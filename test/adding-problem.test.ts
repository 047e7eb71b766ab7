/**
 * The adding problem (Hochreiter & Schmidhuber 1997) with T = 50: an LSTM learns it (test MSE
 * under 0.01, where always predicting the mean gives 1/6 ≈ 0.167); a vanilla tanh RNN given
 * the same budget does worse.
 */
import { describe, expect, it } from 'vitest';
import { Adam, fit, LastStep, Linear, LSTM, meanSquaredError, noGrad, RNN, Sequential, Tensor, type RecurrentLayer } from '@recurrent/core';
import { addingProblem, ADDING_PROBLEM_BASELINE_MSE, type AddingProblemBatch } from '@recurrent/datasets';

const T = 50;
const HIDDEN = 32;
const BATCH = 32;
const STEPS = Number(process.env.ADDING_STEPS ?? 1200);

async function train(makeLayer: () => RecurrentLayer): Promise<number> {
  const model = new Sequential(makeLayer(), new LastStep(), new Linear(HIDDEN, 1, { seed: 2 }));
  const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
  const toTensors = (b: AddingProblemBatch) => ({ x: new Tensor(b.inputs, [T, b.batchSize, 2]), y: new Tensor(b.targets, [b.batchSize, 1]) });
  await fit({
    model,
    optimizer,
    maxSteps: STEPS,
    clipGradNorm: 1,
    trainBatches: function* () {
      for (let i = 0; ; i++) yield toTensors(addingProblem({ steps: T, batchSize: BATCH, seed: 1000 + i }));
    },
    loss: ({ x, y }) => meanSquaredError(model.forward(x), y),
  });
  const test = toTensors(addingProblem({ steps: T, batchSize: 1000, seed: 7 }));
  model.eval();
  return noGrad(() => meanSquaredError(model.forward(test.x), test.y)).data[0]!;
}

describe('adding problem, T = 50', () => {
  it('an LSTM learns it; a tanh RNN with the same budget does worse', async () => {
    const lstm = await train(() => new LSTM({ inputSize: 2, hiddenSize: HIDDEN, seed: 1, init: { forgetBias: 1 } }));
    const rnn = await train(() => new RNN({ inputSize: 2, hiddenSize: HIDDEN, seed: 1 }));
    console.log(`adding problem T=${T}, ${STEPS} steps of batch ${BATCH}: LSTM test MSE ${lstm.toFixed(5)}, tanh RNN ${rnn.toFixed(5)}, predicting the mean ${ADDING_PROBLEM_BASELINE_MSE.toFixed(5)}`);
    expect(lstm).toBeLessThan(0.01);
    expect(rnn).toBeGreaterThan(lstm);
  });
});
