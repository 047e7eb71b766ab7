import type { CellSpec, CellWeights, LstmVariant, SequenceForwardArgs } from '@recurrent/core';
import { DEFAULT_LSTM_VARIANT, gateCount } from '@recurrent/core';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { packageRoot } from '../src/binding.js';
import { loadNativeBackend, type NativeBackend } from '../src/index.js';

/** The native backend; the suites fail (not skip) when it does not load. */
export function native(): NativeBackend {
  const r = loadNativeBackend();
  if (r.backend === null) throw new Error(`native backend did not load: ${r.reason}`);
  return r.backend;
}

/** mulberry32: a small seeded generator, so every case is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [-scale, scale], rounded to float32. */
export function randF32(rand: () => number, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * rand() - 1) * scale;
  return a;
}

export function f64(a: Float32Array | null): Float64Array | null {
  return a === null ? null : Float64Array.from(a);
}

/** max |ours − ref| / max |ref| (the project's error measure); NaN counts as a failure. */
export function relErr(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (ours.length !== ref.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i] - ref[i]);
    if (!(d <= maxDiff)) maxDiff = d;
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

export function lstm(flags: Partial<LstmVariant> = {}): CellSpec {
  return { kind: 'lstm', variant: { ...DEFAULT_LSTM_VARIANT, ...flags } };
}

/** Every cell form of the contract: RNN activations, each LSTM variant flag, GRU both ways, MGU. */
export const ALL_CELLS: { name: string; cell: CellSpec }[] = [
  { name: 'rnn tanh', cell: { kind: 'rnn', activation: 'tanh' } },
  { name: 'rnn relu', cell: { kind: 'rnn', activation: 'relu' } },
  { name: 'rnn sigmoid', cell: { kind: 'rnn', activation: 'sigmoid' } },
  { name: 'lstm', cell: lstm() },
  { name: 'lstm peephole', cell: lstm({ peephole: true }) },
  { name: 'lstm coupled', cell: lstm({ coupled: true }) },
  { name: 'lstm noInputGate', cell: lstm({ noInputGate: true }) },
  { name: 'lstm noForgetGate', cell: lstm({ noForgetGate: true }) },
  { name: 'lstm noOutputGate', cell: lstm({ noOutputGate: true }) },
  { name: 'lstm noInputActivation', cell: lstm({ noInputActivation: true }) },
  { name: 'lstm noOutputActivation', cell: lstm({ noOutputActivation: true }) },
  { name: 'lstm fullGateRecurrence', cell: lstm({ fullGateRecurrence: true }) },
  { name: 'lstm peephole+coupled+FGR', cell: lstm({ peephole: true, coupled: true, fullGateRecurrence: true }) },
  { name: 'gru resetAfter', cell: { kind: 'gru', resetAfter: true } },
  { name: 'gru resetBefore', cell: { kind: 'gru', resetAfter: false } },
  { name: 'mgu', cell: { kind: 'mgu' } },
];

export interface SequenceCase {
  args: SequenceForwardArgs; // float32
  dy: Float32Array;
  dhN: Float32Array;
  dcN: Float32Array | null;
}

/** Random float32 arguments of a forward (and upstream gradients) for one cell and shape. */
export function sequenceCase(
  seed: number,
  cell: CellSpec,
  dims: { T: number; B: number; I: number; H: number },
  opts: { reverse?: boolean; bias?: boolean } = {},
): SequenceCase {
  const rand = rng(seed);
  const { T, B, I, H } = dims;
  const G = gateCount(cell);
  const scale = 1 / Math.sqrt(H);
  const lstmCell = cell.kind === 'lstm';
  const bias = opts.bias ?? true;
  const weights: CellWeights = {
    wIh: randF32(rand, G * H * I, scale),
    wHh: randF32(rand, G * H * H, scale),
    bIh: bias ? randF32(rand, G * H, scale) : null,
    bHh: bias ? randF32(rand, G * H, scale) : null,
    wPeep: lstmCell && cell.variant.peephole ? randF32(rand, 3 * H, 0.5) : null,
    wGateRec: lstmCell && cell.variant.fullGateRecurrence ? randF32(rand, 9 * H * H, scale) : null,
  };
  const args: SequenceForwardArgs = {
    T, B, I, H, cell,
    x: randF32(rand, T * B * I),
    weights,
    h0: randF32(rand, B * H, 0.5),
    c0: lstmCell ? randF32(rand, B * H, 0.5) : null,
    reverse: opts.reverse ?? false,
    keepCache: true,
  };
  return { args, dy: randF32(rand, T * B * H), dhN: randF32(rand, B * H), dcN: lstmCell ? randF32(rand, B * H) : null };
}

/** The same arguments in float64, for the TypeScript reference. */
export function toFloat64(args: SequenceForwardArgs): SequenceForwardArgs {
  const w = args.weights;
  return {
    ...args,
    x: f64(args.x as Float32Array)!,
    h0: f64(args.h0 as Float32Array)!,
    c0: f64(args.c0 as Float32Array | null),
    weights: {
      wIh: f64(w.wIh as Float32Array)!,
      wHh: f64(w.wHh as Float32Array)!,
      bIh: f64(w.bIh as Float32Array | null),
      bHh: f64(w.bHh as Float32Array | null),
      wPeep: f64(w.wPeep as Float32Array | null),
      wGateRec: f64(w.wGateRec as Float32Array | null),
    },
  };
}

/**
 * The .node file the loader takes (RECURRENT_NATIVE_ADDON, else node-gyp-build's choice), for
 * tests that load the addon in a child process or a worker thread of their own.
 */
export function addonPath(): string {
  const explicit = process.env.RECURRENT_NATIVE_ADDON;
  if (explicit) return resolve(explicit);
  const gypBuild = createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string };
  return gypBuild.path(packageRoot);
}
