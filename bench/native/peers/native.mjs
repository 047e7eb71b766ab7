/**
 * recurrent's native backend through the Backend contract, as a layer calls it.
 * Modes:
 *   suite          training steps (LSTM/GRU/RNN, large shape) on one thread, the LSTM step on
 *                  two threads, LSTM inference latency and the small-model training step;
 *                  also checks the inference output against the float64 reference.
 *   mem            only the large LSTM training step (one thread), then prints VmHWM.
 *   mem-baseline   only loads the modules, then prints VmHWM.
 * A training step is sequenceForward (keepCache) then sequenceBackward with dy = ones (the
 * gradient of sum(y)), giving dx, dh0, dc0 and every weight gradient.
 * Usage: node peers/native.mjs --mode suite|mem|mem-baseline --config 'JSON'
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_LSTM_VARIANT } from '@recurrent/core';
import { loadNativeBackend } from '@recurrent/native';
import { lstmForwardReference, maxAbsDiff } from '../lib/lstm-reference.mjs';
import { GATES, INFER_SWEEP_H, cpuMs, fillUniform, measureSync, parseArgs, peakRssKiB, report } from '../lib/problems.mjs';

const opts = parseArgs(process.argv.slice(2));
const config = JSON.parse(opts.config);
const { backend, reason, isa } = loadNativeBackend();
if (backend === null) {
  report({ peer: 'native', unavailable: reason });
  process.exit(0);
}

/** The addon file this process mapped, with its hash: rounds must all measure the same build. */
function addonFingerprint() {
  const maps = readFileSync('/proc/self/maps', 'utf8').split('\n');
  const file = maps.map((line) => line.split(/\s+/).slice(5).join(' ')).find((p) => p.endsWith('.node') && p.includes('recurrent'));
  if (!file) return null;
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
  return { file, sha256, mtime: statSync(file).mtime.toISOString() };
}

const CELLS = {
  lstm: { kind: 'lstm', variant: DEFAULT_LSTM_VARIANT },
  gru: { kind: 'gru', resetAfter: true }, // as torch.nn.GRU
  rnn: { kind: 'rnn', activation: 'tanh' },
};

/** Forward arguments of one layer with deterministic data; weights in PyTorch's layout. */
function problem(model, { T, B, I, H }, keepCache) {
  const G = GATES[model];
  return {
    cell: CELLS[model],
    T, B, I, H,
    x: fillUniform(new Float32Array(T * B * I), 1, 1), // [T, B, I]
    weights: {
      wIh: fillUniform(new Float32Array(G * H * I), 2, 1 / Math.sqrt(H)), // [G·H, I]
      wHh: fillUniform(new Float32Array(G * H * H), 3, 1 / Math.sqrt(H)), // [G·H, H]
      bIh: fillUniform(new Float32Array(G * H), 4, 1 / Math.sqrt(H)), // [G·H]
      bHh: fillUniform(new Float32Array(G * H), 5, 1 / Math.sqrt(H)), // [G·H]
      wPeep: null,
      wGateRec: null,
    },
    h0: new Float32Array(B * H), // [B, H]
    c0: model === 'lstm' ? new Float32Array(B * H) : null, // [B, H]
    reverse: false,
    keepCache,
  };
}

function trainingStep(model, dims) {
  const forward = problem(model, dims, true);
  const dy = new Float32Array(dims.T * dims.B * dims.H).fill(1); // [T, B, H]
  const G = GATES[model];
  return () => {
    const { cache } = backend.sequenceForward(forward);
    const grads = backend.sequenceBackward({ forward, cache, dy, dhN: null, dcN: null });
    if (grads.dWHh.length !== G * dims.H * dims.H || grads.dx.length !== dims.T * dims.B * dims.I) {
      throw new Error('native: unexpected gradient sizes');
    }
  };
}

const mode = opts.mode;
const { reps } = config;
backend.setThreads(1);

if (mode === 'suite') {
  const cases = {}; // name: wall times in ms
  const cpu = {}; // name: CPU times in ms (all threads of the process)
  const keep = (name, { wall, cpu: c }) => {
    cases[name] = wall;
    cpu[name] = c;
  };
  for (const model of config.train.models) keep(`train-${model}`, measureSync(trainingStep(model, config.train), reps.train));

  // One and two threads alternate run by run, so load from elsewhere hits both alike. CPU time
  // over wall time says how many threads really worked (the pool's workers sleep between jobs).
  const lstmStep = trainingStep('lstm', config.train);
  let threads2 = 0;
  const paired = { 1: { wall: [], cpu: [] }, 2: { wall: [], cpu: [] } };
  for (let i = 0; i < reps.threads.warmup + reps.threads.reps; i++) {
    for (const n of [1, 2]) {
      backend.setThreads(n);
      if (n === 2) threads2 = backend.threads;
      const c0 = cpuMs();
      const t0 = performance.now();
      lstmStep();
      if (i < reps.threads.warmup) continue;
      paired[n].wall.push(performance.now() - t0);
      paired[n].cpu.push(cpuMs() - c0);
    }
  }
  backend.setThreads(1);
  keep('train-lstm-paired-1thread', paired[1]);
  keep('train-lstm-paired-2threads', paired[2]);

  const inferArgs = problem('lstm', config.infer, false);
  const { y } = backend.sequenceForward(inferArgs);
  const inferMaxDiff = maxAbsDiff(y, lstmForwardReference(inferArgs));
  keep('infer-lstm', measureSync(() => backend.sequenceForward(inferArgs), reps.infer));
  // The same on both cores (hidden units split, a barrier per step): not the goal's one core.
  backend.setThreads(2);
  keep('infer-lstm-2threads', measureSync(() => backend.sequenceForward(inferArgs), reps.infer));
  backend.setThreads(1);
  const stepArgs = problem('lstm', config.step, false);
  keep('step-lstm', measureSync(() => backend.sequenceForward(stepArgs), reps.infer));

  keep('small-lstm', measureSync(trainingStep('lstm', config.small), reps.small));
  for (const H of INFER_SWEEP_H) {
    const args = problem('lstm', { ...config.infer, H }, false);
    keep(`diag-infer-lstm-h${H}`, measureSync(() => backend.sequenceForward(args), { warmup: 20, reps: 100 }));
  }
  report({ peer: 'native', isa, availableIsas: backend.availableIsas, addon: addonFingerprint(), threads2, inferMaxDiff, cases, cpu });
} else if (mode === 'mem') {
  const step = trainingStep('lstm', config.train);
  for (let i = 0; i < reps.memSteps; i++) step();
  report({ peer: 'native', vmhwmKiB: await peakRssKiB() });
} else if (mode === 'mem-baseline') {
  report({ peer: 'native', vmhwmKiB: await peakRssKiB() });
} else {
  throw new Error(`native.mjs: unknown --mode ${mode}, expected suite, mem or mem-baseline`);
}
