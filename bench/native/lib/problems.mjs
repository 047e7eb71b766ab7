/**
 * The problems of the native backend's benchmark (issue 3) and the helpers every peer shares.
 * Every peer computes the same work for a case: torch_peer.py mirrors these shapes, and run.mjs
 * passes them to it on the command line so there is one source of truth.
 */

// Shared with the TypeScript-backend bench: the gate counts, data generator, median and the
// children's command line and report line.
export { GATES, fillUniform, median, parseArgs, report } from '../../lib/config.js';
import { GATES, median } from '../../lib/config.js';

/** Training step (forward, BPTT, all gradients), large shape, one thread. */
export const TRAIN = Object.freeze({ T: 64, B: 32, I: 128, H: 256, models: ['lstm', 'gru', 'rnn'] });

/** Inference latency: one LSTM sequence, batch 1, no cache kept. */
export const INFER = Object.freeze({ T: 128, B: 1, I: 64, H: 256, model: 'lstm' });

/** Streaming inference: one call per step (T = 1) of the inference LSTM, as a server that answers
 *  each arriving element or a sampling loop runs it; µs per call. */
export const STEP = Object.freeze({ T: 1, B: 1, I: 64, H: 256, model: 'lstm' });

/** Diagnostic of the inference latency: the same problem at other hidden sizes, to show where
 *  W_hh (4H × H floats) stops fitting the core's L2 cache. */
export const INFER_SWEEP_H = Object.freeze([128, 192, 224, 256, 288]);

/** Small model: training step per sequence. */
export const SMALL = Object.freeze({ T: 64, B: 1, I: 32, H: 32, model: 'lstm' });

/** How many times each case runs (after warm-up), per round; run.mjs runs three rounds. */
export const REPS = Object.freeze({
  train: { warmup: 2, reps: 7 },
  infer: { warmup: 50, reps: 300 },
  small: { warmup: 20, reps: 200 },
  threads: { warmup: 1, reps: 7 },
  memSteps: 5,
});

/**
 * FLOPs of the forward's matrix products, 2·T·B·(I+H)·G·H; a training step counts 3× that (the
 * backward's dX/dH and dW products). Elementwise work is not counted.
 */
export function forwardFlops(model, { T, B, I, H }) {
  return 2 * T * B * (I + H) * GATES[model] * H;
}

export function trainFlops(model, dims) {
  return 3 * forwardFlops(model, dims);
}


/** This process's CPU time (all threads, user + system) in ms. */
export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}

/**
 * Runs `step` warmup times, then `reps` timed times. Returns each run's wall time and CPU time
 * in ms: on a shared machine the CPU time of a one-thread run is not inflated by the time the
 * process waits for a core.
 */
export function measureSync(step, { warmup, reps }) {
  for (let i = 0; i < warmup; i++) step();
  const wall = new Array(reps);
  const cpu = new Array(reps);
  for (let i = 0; i < reps; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    step();
    wall[i] = performance.now() - t0;
    cpu[i] = cpuMs() - c0;
  }
  return { wall, cpu };
}

/** The same for a step that returns a promise (ONNX Runtime's run is async). */
export async function measureAsync(step, { warmup, reps }) {
  for (let i = 0; i < warmup; i++) await step();
  const wall = new Array(reps);
  const cpu = new Array(reps);
  for (let i = 0; i < reps; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    await step();
    wall[i] = performance.now() - t0;
    cpu[i] = cpuMs() - c0;
  }
  return { wall, cpu };
}

/** Peak resident set (VmHWM) of this process in KiB, from /proc/self/status (Linux only). */
export async function peakRssKiB() {
  const { readFileSync } = await import('node:fs');
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error('VmHWM not found in /proc/self/status');
  return Number(m[1]);
}
