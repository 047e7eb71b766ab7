/**
 * brain.js 1.6.1 peer. Its recurrent nets (brain.recurrent.LSTM, GRU, RNN) have no batching:
 * one sequence of token ids at a time, each step looking up a row of an input embedding of
 * width inputSize, one hidden layer, then a softmax output layer. We time what it does per
 * sequence for a training step without the weight update: trainInput (forward + loss) then
 * backpropagate (BPTT into every weight, the embedding rows included), with
 * inputSize = I, hiddenLayers = [H], T steps, and a 16-symbol vocabulary so the output layer
 * stays negligible. The batch-32 figure is 32 × the per-sequence time. brain.recurrent.RNN is
 * a ReLU RNN (brain.js has no tanh RNN); its products are the same size.
 * Usage: node --expose-gc peers/brain.js --model lstm|gru|rnn
 */
import brain from 'brain.js';
import { DIMS, measure, median, parseArgs, report, stepFlops } from '../lib/config.js';

const opts = parseArgs(process.argv.slice(2));
const model = opts.model ?? 'lstm';
const reps = Number(opts.reps ?? 5);
const budgetMs = Number(opts.budgetMs ?? 15_000);
const { T, B, I, H } = DIMS;
const vocab = 16;

const Net = model === 'lstm' ? brain.recurrent.LSTM : model === 'gru' ? brain.recurrent.GRU : brain.recurrent.RNN;
const net = new Net({ inputSize: I, inputRange: vocab, outputSize: vocab, hiddenLayers: [H] });
net.initialize();
// brain.js runs input.length + 1 steps (a start token first), so T − 1 ids give T steps.
const sequence = Array.from({ length: T - 1 }, (_, t) => (t * 7) % vocab);

function step() {
  net.trainInput(sequence);
  net.backpropagate(sequence);
}

const times = await measure(step, { warmup: 2, reps, minReps: 3, budgetMs });
const perSequenceMs = median(times);
const ms = B * perSequenceMs;
report({
  peer: 'brain.js',
  model,
  formulation: `brain.recurrent.${Net.name} per sequence ×${B}`,
  ms,
  perSequenceMs,
  times,
  gflops: stepFlops(model) / ms / 1e6,
  info: { brain: '1.6.1', note: model === 'rnn' ? 'ReLU RNN' : '' },
});
