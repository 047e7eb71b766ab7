/**
 * TensorFlow.js peer: one training step of the same model on the 'cpu' or 'wasm' backend.
 * Two formulations a tfjs user would write:
 * - layers: tf.layers.lstm / gru / simpleRNN with returnSequences, gradients by tf.variableGrads
 *   of the sum of the outputs (the idiomatic way);
 * - fused: hand-written cell with the input projection of all T steps as one matMul and one
 *   recurrent matMul per step on the concatenated gate weights (what a speed-minded user writes);
 * - fused-t: fused, with matMul wrapped in tf.customGrad whose gradients transpose explicitly
 *   and then multiply without transpose flags: the wasm backend's matMul with transposeA or
 *   transposeB, which tf.grad of matMul uses, measured several times slower than transpose +
 *   plain matMul here, so a user who profiles would do this.
 * Usage: node --expose-gc peers/tfjs.js --backend cpu|wasm --model lstm|gru|rnn --formulation layers|fused|fused-t
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DIMS, GATES, fillUniform, measure, median, parseArgs, report, stepFlops } from '../lib/config.js';

const opts = parseArgs(process.argv.slice(2));
const backend = opts.backend ?? 'wasm';
const model = opts.model ?? 'lstm';
const formulation = opts.formulation ?? 'fused';
const reps = Number(opts.reps ?? 5);
const budgetMs = Number(opts.budgetMs ?? 20_000);
const { T, B, I, H } = DIMS;
const G = GATES[model];

// The wasm backend finds its .wasm beside its own module in node_modules; nothing is fetched.
tf.env().set('IS_TEST', false);
if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
await tf.ready();
const info = { tfjs: tf.version.tfjs, backend: tf.getBackend() };
if (backend === 'wasm') {
  info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
}

const x = tf.variable(tf.tensor(fillUniform(new Float32Array(T * B * I), 1, 1), formulation === 'layers' ? [B, T, I] : [T, B, I]), true, 'x');

let loss;
let varList;
if (formulation === 'layers') {
  const common = { units: H, returnSequences: true, recurrentInitializer: 'glorotUniform' };
  const layer = model === 'lstm' ? tf.layers.lstm(common) : model === 'gru' ? tf.layers.gru(common) : tf.layers.simpleRNN({ ...common, activation: 'tanh' });
  tf.tidy(() => layer.apply(x)); // builds the weights
  varList = [x, ...layer.trainableWeights.map((w) => w.read())];
  loss = () => tf.sum(layer.apply(x));
} else {
  const wx = tf.variable(tf.tensor(fillUniform(new Float32Array(I * G * H), 2, 0.08), [I, G * H]), true, 'wx'); // [I, G·H]
  const wh = tf.variable(tf.tensor(fillUniform(new Float32Array(H * G * H), 3, 0.08), [H, G * H]), true, 'wh'); // [H, G·H]
  const b = tf.variable(tf.zeros([G * H]), true, 'b'); // [G·H]
  const matMul = formulation === 'fused-t' ? matMulExplicitTranspose : (p, q) => tf.matMul(p, q);
  varList = [x, wx, wh, b];
  // GRU (Cho et al. 2014, as tfjs-layers computes it): r and z from one product, n from W_hn (r ⊙ h).
  const whRZ = () => tf.slice(wh, [0, 0], [H, 2 * H]); // [H, 2H]
  const whN = () => tf.slice(wh, [0, 2 * H], [H, H]); // [H, H]
  loss = () => {
    const xp = tf.add(matMul(tf.reshape(x, [T * B, I]), wx), b); // [T·B, G·H]
    const xs = tf.unstack(tf.reshape(xp, [T, B, G * H])); // T × [B, G·H]
    let h = tf.zeros([B, H]);
    let c = tf.zeros([B, H]);
    const ys = [];
    const wRZ = model === 'gru' ? whRZ() : null;
    const wN = model === 'gru' ? whN() : null;
    for (let t = 0; t < T; t++) {
      if (model === 'lstm') {
        const z = tf.add(xs[t], matMul(h, wh)); // [B, 4H]
        const [zi, zf, zg, zo] = tf.split(z, 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
        h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
      } else if (model === 'gru') {
        const [xrz, xn] = tf.split(xs[t], [2 * H, H], 1);
        const [r, zz] = tf.split(tf.sigmoid(tf.add(xrz, matMul(h, wRZ))), 2, 1);
        const n = tf.tanh(tf.add(xn, matMul(tf.mul(r, h), wN)));
        h = tf.add(tf.mul(tf.sub(1, zz), n), tf.mul(zz, h));
      } else {
        h = tf.tanh(tf.add(xs[t], matMul(h, wh)));
      }
      ys.push(h);
    }
    return tf.sum(tf.stack(ys));
  };
}

/** p·q whose gradient is dy·transpose(q) and transpose(p)·dy, with no transpose flags. */
function matMulExplicitTranspose(p, q) {
  return tf.customGrad((a, b, save) => {
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy, [sa, sb]) => [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)],
    };
  })(p, q);
}

function step() {
  const { value, grads } = tf.variableGrads(loss, varList);
  // Reading every gradient makes sure all work is done (cpu and wasm run synchronously anyway).
  for (const v of varList) grads[v.name].dataSync();
  value.dispose();
  tf.dispose(grads);
}

const times = await measure(step, { warmup: 1, reps, minReps: 2, budgetMs });
const ms = median(times);
report({ peer: `tfjs-${backend}`, model, formulation, ms, times, gflops: stepFlops(model) / ms / 1e6, info, tensorsLeft: tf.memory().numTensors });
