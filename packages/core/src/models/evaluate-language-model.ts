import { noGrad } from '../autograd/tape.js';
import type { RecurrentState } from '../layers/recurrent-layer.js';
import type { LanguageModel } from './language-model.js';

/** A window of a token stream split into B parallel columns (see @recurrent/datasets). */
export interface TokenWindow {
  inputs: Int32Array; // [steps, B]
  targets: Int32Array; // [steps, B]
  steps: number;
}

/**
 * Mean cross-entropy in nats per token over consecutive windows, the state carried from one
 * window to the next, in eval mode (no dropout) and without a tape.
 */
export function evaluateLanguageModel(model: LanguageModel, windows: Iterable<TokenWindow>, batchSize: number): number {
  const wasTraining = model.training;
  model.eval();
  let state: RecurrentState = {};
  let total = 0;
  let count = 0;
  try {
    noGrad(() => {
      for (const w of windows) {
        const r = model.windowLoss(w.inputs, w.targets, w.steps, batchSize, state);
        state = r.state;
        const n = w.steps * batchSize;
        total += r.loss.data[0]! * n;
        count += n;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return total / count;
}
