#!/usr/bin/env node
// Resident memory across 1,000 training steps (sequence forward + backward + the dense ops of a
// loss) of a small LSTM on the native backend: after warm-up it must stay flat. Exits 1 when the
// growth over the last 900 steps exceeds the limit. Run with --expose-gc.
//
//   node --expose-gc scripts/leak-check.mjs [steps=1000] [limitMiB=8]
import { DEFAULT_LSTM_VARIANT } from '@recurrent/core';
import { loadNativeBackend } from '../dist/index.js';

const steps = Number(process.argv[2] ?? 1000);
const limitMiB = Number(process.argv[3] ?? 8);
const { backend, reason } = loadNativeBackend();
if (!backend) {
  console.error(`leak-check: native backend unavailable: ${reason}`);
  process.exit(1);
}
const gc = globalThis.gc ?? (() => {});
const T = 16, B = 8, I = 24, H = 48, C = 10;
const r = (n) => Float32Array.from({ length: n }, () => Math.random() * 0.2 - 0.1);
const cell = { kind: 'lstm', variant: DEFAULT_LSTM_VARIANT };
const weights = { wIh: r(4 * H * I), wHh: r(4 * H * H), bIh: r(4 * H), bHh: r(4 * H), wPeep: null, wGateRec: null };
const wOut = r(C * H);
const targets = Int32Array.from({ length: T * B }, (_, i) => i % C);
const rss = () => process.memoryUsage().rss / 2 ** 20;
let base = 0;
for (let s = 0; s < steps; s++) {
  const args = { T, B, I, H, cell, x: r(T * B * I), weights, h0: r(B * H), c0: r(B * H), reverse: s % 2 === 1, keepCache: true };
  const fwd = backend.sequenceForward(args);
  const logits = new Float32Array(T * B * C);
  backend.gemm({ transA: false, transB: true, M: T * B, N: C, K: H, alpha: 1, a: fwd.y, b: wOut, beta: 0, c: logits });
  const loss = backend.softmaxCrossEntropy(logits, targets, null, T * B, C);
  const dy = new Float32Array(T * B * H);
  backend.gemm({ transA: false, transB: false, M: T * B, N: H, K: C, alpha: 1, a: loss.dlogits, b: wOut, beta: 0, c: dy });
  const g = backend.sequenceBackward({ forward: args, cache: fwd.cache, dy, dhN: null, dcN: null });
  for (let i = 0; i < weights.wHh.length; i++) weights.wHh[i] -= 1e-3 * g.dWHh[i];
  if (s === 99) {
    gc();
    base = rss();
  }
}
gc();
const growth = rss() - base;
console.log(`leak-check: ${steps} steps, resident memory ${base.toFixed(1)} MiB after warm-up, growth ${growth.toFixed(2)} MiB (limit ${limitMiB})`);
process.exit(growth <= limitMiB ? 0 : 1);
