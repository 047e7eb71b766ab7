/**
 * recurrent's TypeScript backend: the backend contract called directly, as a layer would:
 * sequenceForward with keepCache, then sequenceBackward with dy = ones (the gradient of the sum
 * of all outputs), giving dx, dh0 (dc0), dW_ih, dW_hh, db_ih, db_hh.
 * With RECURRENT_GEMM_THREADS=2 in the environment its GEMMs split over a worker thread.
 * Usage: node --expose-gc peers/recurrent-ts.js --model lstm|gru|rnn
 */
import { DEFAULT_LSTM_VARIANT, gemmThreadsFromEnv, tsBackend } from '@recurrent/core';
import { DIMS, GATES, fillUniform, measure, median, parseArgs, report, stepFlops } from '../lib/config.js';

const opts = parseArgs(process.argv.slice(2));
const model = opts.model ?? 'lstm';
const reps = Number(opts.reps ?? 7);
const budgetMs = Number(opts.budgetMs ?? 20_000);
const { T, B, I, H } = DIMS;
const G = GATES[model];

// GRU as tfjs-layers and Cho et al. 2014 compute it (reset before the recurrent product).
const cell =
  model === 'lstm' ? { kind: 'lstm', variant: DEFAULT_LSTM_VARIANT }
  : model === 'gru' ? { kind: 'gru', resetAfter: false }
  : { kind: 'rnn', activation: 'tanh' };

const forward = {
  cell,
  T, B, I, H,
  x: fillUniform(new Float32Array(T * B * I), 1, 1), // [T, B, I]
  weights: {
    wIh: fillUniform(new Float32Array(G * H * I), 2, 0.08), // [G·H, I]
    wHh: fillUniform(new Float32Array(G * H * H), 3, 0.08), // [G·H, H]
    bIh: new Float32Array(G * H), // [G·H]
    bHh: new Float32Array(G * H), // [G·H]
    wPeep: null,
    wGateRec: null,
  },
  h0: new Float32Array(B * H), // [B, H]
  c0: model === 'lstm' ? new Float32Array(B * H) : null, // [B, H]
  reverse: false,
  keepCache: true,
};
const dy = new Float32Array(T * B * H).fill(1); // [T, B, H]

function step() {
  const { cache } = tsBackend.sequenceForward(forward);
  const grads = tsBackend.sequenceBackward({ forward, cache, dy, dhN: null, dcN: null });
  if (!(grads.dWHh.length === G * H * H && grads.dx.length === T * B * I)) throw new Error('recurrent-ts: unexpected gradient sizes');
}

const threads = gemmThreadsFromEnv(); // what core's GEMMs will use; EnvError on a bad value
step(); // the first large GEMM starts the worker threads, if any
if (threads > 1) await new Promise((resolve) => setTimeout(resolve, 300));
const times = await measure(step, { warmup: 1, reps, minReps: 3, budgetMs });
const ms = median(times);
const formulation = `sequenceForward + sequenceBackward, ${threads === 1 ? '1 thread' : `GEMMs on ${threads} threads`}`;
report({ peer: 'recurrent-ts', model, formulation, ms, times, gflops: stepFlops(model) / ms / 1e6, info: { dtype: 'float32', threads } });
