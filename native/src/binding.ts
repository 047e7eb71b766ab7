import type {
  GemmArgs,
  SequenceBackwardArgs,
  SequenceForwardArgs,
  SequenceForwardResult,
  SequenceGrads,
  SoftmaxCrossEntropyResult,
  UnaryOp,
} from '@recurrent/core';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNativeEnv, ISAS } from './env.js';

type AnyFloatArray = Float32Array | Float64Array;

/** esnHarvest's argument: float buffers Float32Array or Float64Array, state and states alike. */
export interface EsnHarvestBindingArgs {
  steps: number; // T
  units: number; // N
  rowStart: Int32Array; // [N + 1]
  colIndex: Int32Array; // [nnz]
  values: AnyFloatArray; // [nnz]
  inputWidth: number; // I
  inputs: AnyFloatArray; // [T, I]
  Win: AnyFloatArray; // [N, I]
  bias: AnyFloatArray; // [N]
  feedbackWidth: number; // O
  feedback: AnyFloatArray | null; // [T, O]
  Wfb: AnyFloatArray | null; // [N, O]
  noise: AnyFloatArray | null; // [T, N]
  leakRate: number; // (0, 1]
  activation: string; // 'tanh' | 'sigmoid' | 'relu' | 'identity'
  state: AnyFloatArray; // [N] in/out
  states: AnyFloatArray; // [T, N] out
}

export interface EsnGramBindingArgs {
  rows: number; // R
  width: number; // D
  outputs: number; // O
  X: AnyFloatArray; // [R, D]
  Y: AnyFloatArray; // [R, O]
  gram: Float64Array; // [D, D]
  xty: Float64Array; // [D, O]
  shift?: AnyFloatArray | null; // [D] subtracted from every row of X first
}

/** ISA levels of the addon, best first. */
export type Isa = (typeof ISAS)[number];

/**
 * The raw exports of the addon (src/addon.cc). Every function validates its arguments and
 * throws a TypeError / RangeError on bad input; all buffers are Float32Array (ids Int32Array).
 */
export interface NativeBinding {
  sequenceForward(args: SequenceForwardArgs): SequenceForwardResult;
  sequenceBackward(args: SequenceBackwardArgs): SequenceGrads;
  sequenceForwardAsync(args: SequenceForwardArgs): Promise<SequenceForwardResult>;
  sequenceBackwardAsync(args: SequenceBackwardArgs): Promise<SequenceGrads>;
  gemm(args: GemmArgs): void;
  addBias(x: Float32Array, bias: Float32Array, R: number, C: number): Float32Array;
  sumRows(x: Float32Array, R: number, C: number): Float32Array;
  unary(op: UnaryOp, x: Float32Array): Float32Array;
  unaryBackward(op: UnaryOp, x: Float32Array, y: Float32Array, dy: Float32Array): Float32Array;
  softmax(x: Float32Array, R: number, C: number): Float32Array;
  softmaxBackward(y: Float32Array, dy: Float32Array, R: number, C: number): Float32Array;
  softmaxCrossEntropy(logits: Float32Array, targets: Int32Array, mask: Float32Array | null, N: number, C: number): SoftmaxCrossEntropyResult;
  embeddingForward(table: Float32Array, ids: Int32Array, V: number, E: number): Float32Array;
  embeddingBackward(dTable: Float32Array, ids: Int32Array, dOut: Float32Array, V: number, E: number): void;
  /** ESN state update (see esn-kernels.ts); W flattened to rowStart / colIndex / values. */
  esnHarvest(args: EsnHarvestBindingArgs): void;
  /** ESN readout: gram += XᵀX (upper triangle), xty += XᵀY. */
  esnAccumulateGram(args: EsnGramBindingArgs): void;
  /** The ESN kernels' float64 vector tanh (for accuracy tests). */
  esnTanh(x: Float64Array): Float64Array;
  /** The ISA level the kernels run at now. */
  isa(): Isa;
  /** The levels this CPU supports, best first. */
  availableIsas(): Isa[];
  /** Switches the level (at most the best available); for tests and comparisons. */
  setIsa(isa: Isa): void;
  /** Size of the thread pool (the calling thread included). */
  threads(): number;
  setThreads(n: number): void;
  /** The pool size at load: the machine's hardware threads. */
  readonly defaultThreads: number;
}

/** The package folder (where build/Release and prebuilds/ live). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loads the addon with node-gyp-build (build/Release first, then prebuilds/<platform>-<arch>/),
 * or the .node file RECURRENT_NATIVE_ADDON names (the sanitizer build, a debug build).
 * Throws an EnvError, before loading anything, when a variable the addon reads has a bad value.
 */
export function loadBinding(): NativeBinding {
  checkNativeEnv();
  const require = createRequire(import.meta.url);
  const explicit = process.env.RECURRENT_NATIVE_ADDON;
  if (explicit) return require(resolve(explicit)) as NativeBinding;
  const load = require('node-gyp-build') as (dir: string) => NativeBinding;
  return load(packageRoot);
}
