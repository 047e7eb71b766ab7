/**
 * The benchmarked problem of issue 2 and the helpers every peer shares: one training step
 * (forward over the whole sequence, BPTT, gradients of all weights and of the input) of a
 * single-layer recurrent net, float32.
 */

/** Sequence length, batch, input features, hidden units. */
export const DIMS = Object.freeze({ T: 64, B: 32, I: 128, H: 256 });

/** Gate blocks per model: rows of weight_ih are G·H. */
export const GATES = Object.freeze({ lstm: 4, gru: 3, rnn: 1 });

export const MODELS = Object.freeze(['lstm', 'gru', 'rnn']);

/**
 * FLOPs counted for one training step: the forward's matrix products 2·T·B·(I+H)·G·H, and the
 * backward's twice that (dX/dH and dW products), 3× the forward in all. Elementwise work is
 * not counted.
 */
export function stepFlops(model, { T, B, I, H } = DIMS) {
  return 3 * 2 * T * B * (I + H) * GATES[model] * H;
}

/**
 * Runs `step` `warmup` times, then up to `reps` times (stopping early once `budgetMs` is spent,
 * but after at least `minReps`), with a GC before each timed run. Returns times in ms.
 */
export async function measure(step, { warmup = 1, reps = 5, minReps = 3, budgetMs = 20_000 } = {}) {
  for (let i = 0; i < warmup; i++) await step();
  const times = [];
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    if (globalThis.gc) globalThis.gc();
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    if (times.length >= minReps && performance.now() - start > budgetMs) break;
  }
  return times;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Deterministic uniform(-scale, scale) fill, so every peer sees the same kind of data. */
export function fillUniform(arr, seed, scale) {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < arr.length; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    arr[i] = (s / 4294967296 * 2 - 1) * scale;
  }
  return arr;
}

/** Parses `--key value` pairs of a peer's command line. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

/** A peer prints exactly one JSON line last; run.js reads it. */
export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
