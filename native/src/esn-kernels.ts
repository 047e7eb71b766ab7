/**
 * The addon's Echo State Network kernels in the shape of @recurrent/esn's `EsnKernels`, for
 * `setEsnKernels(nativeEsnKernels())`. The types are restated structurally so that this package
 * does not depend on @recurrent/esn (nor esn on it): any object of esn's HarvestArgs / GramArgs
 * shape is accepted.
 */
import type { NativeBinding } from './binding.js';

type FloatArray = Float32Array | Float64Array;

export interface EsnHarvestArgs {
  steps: number; // T
  units: number; // N
  W: { rowStart: Int32Array; colIndex: Int32Array; values: FloatArray }; // CSR [N, N]
  inputWidth: number; // I
  inputs: FloatArray; // [T, I]
  Win: FloatArray; // [N, I]
  bias: FloatArray; // [N]
  feedbackWidth: number; // O
  feedback: FloatArray | null; // [T, O]
  Wfb: FloatArray | null; // [N, O]
  noise: FloatArray | null; // [T, N]
  leakRate: number;
  activation: string | ((x: number) => number);
  state: FloatArray; // [N] in/out
  states: FloatArray; // [T, N] out
}

export interface EsnGramArgs {
  rows: number; // R
  width: number; // D
  outputs: number; // O
  X: FloatArray; // [R, D]
  Y: FloatArray; // [R, O]
  gram: Float64Array; // [D, D]
  xty: Float64Array; // [D, O]
  shift?: Float64Array | null; // [D] subtracted from every row of X first
}

export interface EsnCholeskyArgs {
  n: number; // N
  a: Float64Array; // [N, N] in: symmetric A (lower triangle read); out: L in the lower triangle
  m: number; // M
  b: Float64Array | null; // [N, M] in: B; out: X with L Lᵀ X = B (when the factorisation succeeds)
}

/** The first pivot that was not > 4ε·|A_jj|. */
export interface EsnCholeskyFailure {
  index: number;
  pivot: number;
}

/** The addon's esnCholesky export (src/esn_binding.cc); validates its arguments like the others. */
interface CholeskyBinding {
  esnCholesky(args: EsnCholeskyArgs): EsnCholeskyFailure | null;
}

export interface NativeEsnKernels {
  /** 'native <isa>' at the time of the call. */
  readonly name: string;
  /** Runs natively and returns true; false only for a JavaScript activation function. */
  harvest(args: EsnHarvestArgs): boolean;
  accumulateGram(args: EsnGramArgs): boolean;
  /** Blocked Cholesky factorisation and solve in float64; null on success, else the failing pivot. */
  cholesky(args: EsnCholeskyArgs): EsnCholeskyFailure | null;
}

/** The leading `length` elements: esn passes reused buffers that may be longer than one call. */
function leading<A extends FloatArray>(a: A, length: number): A {
  return a.length > length ? (a.subarray(0, length) as A) : a;
}

export function createEsnKernels(binding: NativeBinding): NativeEsnKernels {
  return {
    get name() {
      return `native ${binding.isa()}`;
    },
    harvest(a) {
      if (typeof a.activation === 'function') return false; // only the built-in activations are native
      const { steps: T, units: N, inputWidth: I, feedbackWidth: O } = a;
      binding.esnHarvest({
        steps: T,
        units: N,
        rowStart: a.W.rowStart,
        colIndex: a.W.colIndex,
        values: a.W.values,
        inputWidth: I,
        inputs: leading(a.inputs, T * I),
        Win: a.Win,
        bias: a.bias,
        feedbackWidth: O,
        feedback: a.feedback === null ? null : leading(a.feedback, T * O),
        Wfb: a.Wfb,
        noise: a.noise === null ? null : leading(a.noise, T * N),
        leakRate: a.leakRate,
        activation: a.activation,
        state: a.state,
        states: leading(a.states, T * N),
      });
      return true;
    },
    accumulateGram(a) {
      binding.esnAccumulateGram({ ...a, X: leading(a.X, a.rows * a.width), Y: leading(a.Y, a.rows * a.outputs), shift: a.shift ?? null });
      return true;
    },
    cholesky(a) {
      const { n, m } = a;
      return (binding as NativeBinding & CholeskyBinding).esnCholesky({ n, a: leading(a.a, n * n), m, b: a.b === null ? null : leading(a.b, n * m) });
    },
  };
}
