import type { DType, FloatArray } from '../../dtype.js';
import { Random } from '../../random.js';
import { DEFAULT_LSTM_VARIANT, gateCount, type CellSpec, type LstmVariant, type SequenceForwardArgs } from '../contract.js';

/** Random cases for the tests of the whole-sequence kernels (used by *.test.ts only). */

export function lstmCell(flags: Partial<LstmVariant> = {}): CellSpec {
  return { kind: 'lstm', variant: { ...DEFAULT_LSTM_VARIANT, ...flags } };
}

export interface CaseOptions {
  T: number;
  B: number;
  I: number;
  H: number;
  bias: boolean;
  reverse: boolean;
  seed: number;
  /** Uniform range of the weights (default 0.6). */
  scale?: number;
}

function randomArray(rng: Random, n: number, lo: number, hi: number, dtype: DType): FloatArray {
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(lo, hi);
  return a;
}

/** Random forward arguments; float32 values are exact in float64, so castCase compares like with like. */
export function randomCase(cell: CellSpec, o: CaseOptions, dtype: DType = 'float64'): SequenceForwardArgs {
  const rng = new Random(o.seed);
  const { T, B, I, H } = o;
  const G = gateCount(cell);
  const w = o.scale ?? 0.6;
  const gen = (n: number, lo: number, hi: number) => randomArray(rng, n, lo, hi, 'float32');
  const lstm = cell.kind === 'lstm';
  const args: SequenceForwardArgs = {
    T,
    B,
    I,
    H,
    cell,
    x: gen(T * B * I, -1, 1),
    weights: {
      wIh: gen(G * H * I, -w, w),
      wHh: gen(G * H * H, -w, w),
      bIh: o.bias ? gen(G * H, -w, w) : null,
      bHh: o.bias ? gen(G * H, -w, w) : null,
      wPeep: lstm && cell.variant.peephole ? gen(3 * H, -w, w) : null,
      wGateRec: lstm && cell.variant.fullGateRecurrence ? gen(9 * H * H, -w, w) : null,
    },
    h0: gen(B * H, -0.8, 0.8),
    c0: lstm ? gen(B * H, -1, 1) : null,
    reverse: o.reverse,
    keepCache: true,
  };
  return castCase(args, dtype);
}

export function castArray<A extends FloatArray | null>(a: A, dtype: DType): A {
  if (a === null) return a;
  return (dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a)) as A;
}

/** A deep copy of the arguments in another dtype. */
export function castCase(args: SequenceForwardArgs, dtype: DType): SequenceForwardArgs {
  const w = args.weights;
  return {
    ...args,
    x: castArray(args.x, dtype),
    weights: {
      wIh: castArray(w.wIh, dtype),
      wHh: castArray(w.wHh, dtype),
      bIh: castArray(w.bIh, dtype),
      bHh: castArray(w.bHh, dtype),
      wPeep: castArray(w.wPeep, dtype),
      wGateRec: castArray(w.wGateRec, dtype),
    },
    h0: castArray(args.h0, dtype),
    c0: castArray(args.c0, dtype),
  };
}

export function randomUpstream(n: number, seed: number, dtype: DType): FloatArray {
  return randomArray(new Random(seed), n, -1, 1, dtype);
}

/** max |a − ref| / max |ref| (the fixtures' measure); max |a − ref| when ref is all zero. */
export function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`relativeError: lengths ${a.length} and ${ref.length} differ`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Every cell form and LSTM variant, with a few combinations, that the kernel tests run. */
export const CELL_CASES: [string, CellSpec][] = [
  ['rnn tanh', { kind: 'rnn', activation: 'tanh' }],
  ['rnn relu', { kind: 'rnn', activation: 'relu' }],
  ['rnn sigmoid', { kind: 'rnn', activation: 'sigmoid' }],
  ['lstm', lstmCell()],
  ['lstm peephole', lstmCell({ peephole: true })],
  ['lstm coupled', lstmCell({ coupled: true })],
  ['lstm noInputGate', lstmCell({ noInputGate: true })],
  ['lstm noForgetGate', lstmCell({ noForgetGate: true })],
  ['lstm noOutputGate', lstmCell({ noOutputGate: true })],
  ['lstm noInputActivation', lstmCell({ noInputActivation: true })],
  ['lstm noOutputActivation', lstmCell({ noOutputActivation: true })],
  ['lstm fullGateRecurrence', lstmCell({ fullGateRecurrence: true })],
  ['lstm coupled+peephole', lstmCell({ coupled: true, peephole: true })],
  ['lstm fullGateRecurrence+peephole+coupled', lstmCell({ fullGateRecurrence: true, peephole: true, coupled: true })],
  ['lstm fullGateRecurrence+noOutputGate+noInputActivation', lstmCell({ fullGateRecurrence: true, noOutputGate: true, noInputActivation: true })],
  ['gru resetAfter', { kind: 'gru', resetAfter: true }],
  ['gru reset before', { kind: 'gru', resetAfter: false }],
  ['mgu', { kind: 'mgu' }],
];
