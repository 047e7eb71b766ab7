/**
 * tf.matMul alone on the wasm backend for the same products as peers/gemm.js (float32), with
 * the transpose flags as given and, where a flag is set, as explicit tf.transpose + plain
 * matMul (what the fused-t formulation does), to show where the tfjs step time goes.
 * Usage: node --expose-gc peers/tfjs-matmul.js
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fillUniform, median, report } from '../lib/config.js';
import { GEMM_SHAPES } from '../lib/gemm-shapes.js';

if (!(await tf.setBackend('wasm'))) throw new Error("tfjs: backend 'wasm' failed to initialise");
await tf.ready();

/** Median ms of f (which returns the product) including reading the result back. */
function time(f, flops) {
  // tidy returns the tensor: returning dataSync()'s array from tidy makes tidy walk its elements.
  const once = () => {
    const r = tf.tidy(f);
    r.dataSync();
    r.dispose();
  };
  const reps = Math.max(5, Math.min(200, Math.ceil(3e8 / flops)));
  for (let i = 0; i < 3; i++) once();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    once();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const rows = [];
for (const [name, M, N, K, transA, transB] of GEMM_SHAPES) {
  const a = tf.tensor(fillUniform(new Float32Array(M * K), 1, 1), transA ? [K, M] : [M, K]);
  const b = tf.tensor(fillUniform(new Float32Array(K * N), 2, 1), transB ? [N, K] : [K, N]);
  const flops = 2 * M * N * K;
  const flagged = time(() => tf.matMul(a, b, transA, transB), flops);
  const explicit = transA || transB ? time(() => tf.matMul(transA ? tf.transpose(a) : a, transB ? tf.transpose(b) : b), flops) : flagged;
  rows.push({ name, flaggedGflops: flops / flagged / 1e6, explicitGflops: flops / explicit / 1e6 });
  a.dispose();
  b.dispose();
}
report({ peer: 'tfjs-matmul', rows });
