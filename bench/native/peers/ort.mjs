/**
 * ONNX Runtime for Node (CPU execution provider, one intra-op thread): LSTM inference latency.
 * The model is written by onnx/lstm-model.mjs from the same deterministic weights the native
 * peer uses; its output is checked against the float64 reference before timing.
 * Usage: node peers/ort.mjs --config 'JSON'
 */
import { lstmOnnxModel } from '../onnx/lstm-model.mjs';
import { lstmForwardReference, maxAbsDiff } from '../lib/lstm-reference.mjs';
import { fillUniform, measureAsync, parseArgs, report } from '../lib/problems.mjs';

const config = JSON.parse(parseArgs(process.argv.slice(2)).config);
let ort;
try {
  ort = await import('onnxruntime-node');
} catch (e) {
  report({ peer: 'ort', unavailable: `onnxruntime-node could not be loaded: ${e.message.split('\n')[0]}` });
  process.exit(0);
}

const { T, B, I, H } = config.infer;
const scale = 1 / Math.sqrt(H);
// The same data as peers/native.mjs problem('lstm', ...).
const x = fillUniform(new Float32Array(T * B * I), 1, 1); // [T, B, I]
const weights = {
  wIh: fillUniform(new Float32Array(4 * H * I), 2, scale), // [4H, I]
  wHh: fillUniform(new Float32Array(4 * H * H), 3, scale), // [4H, H]
  bIh: fillUniform(new Float32Array(4 * H), 4, scale), // [4H]
  bHh: fillUniform(new Float32Array(4 * H), 5, scale), // [4H]
};

const session = await ort.InferenceSession.create(lstmOnnxModel({ I, H, weights }), {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const feeds = { X: new ort.Tensor('float32', x, [T, B, I]) };

const first = await session.run(feeds);
const maxDiff = maxAbsDiff(first.Y.data, lstmForwardReference({ T, B, I, H, x, weights })); // Y [T, 1, B, H]
const { wall, cpu } = await measureAsync(() => session.run(feeds), config.reps.infer);
// One call per step: the same model (T is symbolic) on the first step of x.
const stepFeeds = { X: new ort.Tensor('float32', x.slice(0, config.step.I), [1, 1, config.step.I]) };
const step = await measureAsync(() => session.run(stepFeeds), config.reps.infer);
report({
  peer: 'ort',
  version: ort.env.versions?.node ?? 'unknown',
  inferMaxDiff: maxDiff,
  cases: { 'infer-lstm': wall, 'step-lstm': step.wall },
  cpu: { 'infer-lstm': cpu, 'step-lstm': step.cpu },
});
