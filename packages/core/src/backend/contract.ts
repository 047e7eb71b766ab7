/**
 * The backend contract: every numeric kernel has this one signature and two implementations,
 * the TypeScript backend (float32 and float64, the reference) and the native addon (float32).
 * Layers never know which one runs.
 *
 * Conventions for every kernel:
 * - buffers are dense row-major typed arrays; shapes are given in the comment beside each;
 * - all buffers of one call share one dtype (Float32Array or Float64Array);
 * - inputs are never modified; outputs are new arrays unless the argument says "in place";
 * - shapes are validated by the caller (layers); kernels may assume consistent sizes, but a
 *   native backend still validates lengths at its boundary so bad input never crashes.
 */
import type { DType, FloatArray } from '../dtype.js';

// ---------------------------------------------------------------------------------------------
// Recurrent cells

export type RnnActivation = 'tanh' | 'relu' | 'sigmoid';

/**
 * LSTM variants of Greff et al. 2015 ("LSTM: A Search Space Odyssey"). All false is the
 * PyTorch LSTM (forget gate, no peepholes):
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)        f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)     o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                          h' = o ⊙ tanh(c')
 */
export interface LstmVariant {
  /** Gers et al. 2002: i,f see p_i ⊙ c, p_f ⊙ c (old cell); o sees p_o ⊙ c' (new cell). */
  peephole: boolean;
  /** CIFG: f = 1 − i; the forget-gate rows of the weights stay in the layout but are unused. */
  coupled: boolean;
  /** NIG: i = 1 (input-gate rows unused). */
  noInputGate: boolean;
  /** NFG: f = 1 (forget-gate rows unused). */
  noForgetGate: boolean;
  /** NOG: o = 1 (output-gate rows unused). */
  noOutputGate: boolean;
  /** NIAF: g is linear (no tanh on the block input). */
  noInputActivation: boolean;
  /** NOAF: h' = o ⊙ c' (no tanh on the cell output). */
  noOutputActivation: boolean;
  /**
   * FGR: every gate also receives the previous step's gate activations [i, f, o] through an
   * extra recurrent matrix R [3H, 3H] (rows: gates i,f,o receiving; columns: i,f,o sending).
   * The activations before the first step are zero.
   */
  fullGateRecurrence: boolean;
}

export const DEFAULT_LSTM_VARIANT: Readonly<LstmVariant> = Object.freeze({
  peephole: false,
  coupled: false,
  noInputGate: false,
  noForgetGate: false,
  noOutputGate: false,
  noInputActivation: false,
  noOutputActivation: false,
  fullGateRecurrence: false,
});

/**
 * What one recurrent cell computes. Gate blocks of the weights, in PyTorch's order:
 * - rnn: 1 block;            h' = act(W_ih x + b_ih + W_hh h + b_hh)
 * - lstm: 4 blocks i,f,g,o;  see LstmVariant
 * - gru: 3 blocks r,z,n;     r = σ(..), z = σ(..), h' = (1 − z) ⊙ n + z ⊙ h with
 *     resetAfter true  (PyTorch, cuDNN): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *     resetAfter false (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
 * - mgu: 2 blocks f,n, the minimal gated unit (Zhou et al. 2016), a GRU with one gate:
 *     f = σ(W_if x + b_if + W_hf h + b_hf),  n = tanh(W_in x + b_in + W_hn (f ⊙ h) + b_hn),
 *     h' = (1 − f) ⊙ h + f ⊙ n
 */
export type CellSpec =
  | { kind: 'rnn'; activation: RnnActivation }
  | { kind: 'lstm'; variant: LstmVariant }
  | { kind: 'gru'; resetAfter: boolean }
  | { kind: 'mgu' };

/** Number of gate blocks G in weight_ih [G*H, I], weight_hh [G*H, H]. */
export function gateCount(cell: CellSpec): number {
  switch (cell.kind) {
    case 'rnn':
      return 1;
    case 'lstm':
      return 4;
    case 'gru':
      return 3;
    case 'mgu':
      return 2;
  }
}

/** Weights of one layer in one direction. */
export interface CellWeights {
  wIh: FloatArray; // [G*H, I]
  wHh: FloatArray; // [G*H, H]
  bIh: FloatArray | null; // [G*H]   (null: layer without bias)
  bHh: FloatArray | null; // [G*H]
  wPeep: FloatArray | null; // [3, H]  rows p_i, p_f, p_o  (lstm with peephole only)
  wGateRec: FloatArray | null; // [3H, 3H]  (lstm with fullGateRecurrence only)
}

/** Gradients matching CellWeights, plus those of the inputs and initial states. */
export interface SequenceGrads {
  dx: FloatArray; // [T, B, I]
  dh0: FloatArray; // [B, H]
  dc0: FloatArray | null; // [B, H]  (lstm only)
  dWIh: FloatArray; // [G*H, I]
  dWHh: FloatArray; // [G*H, H]
  dBIh: FloatArray | null; // [G*H]
  dBHh: FloatArray | null; // [G*H]
  dWPeep: FloatArray | null; // [3, H]
  dWGateRec: FloatArray | null; // [3H, 3H]
}

export interface SequenceDims {
  T: number; // steps
  B: number; // batch
  I: number; // input features
  H: number; // hidden units
}

export interface SequenceForwardArgs extends SequenceDims {
  cell: CellSpec;
  x: FloatArray; // [T, B, I]
  weights: CellWeights;
  h0: FloatArray; // [B, H]
  c0: FloatArray | null; // [B, H]  (lstm only)
  /** Process t = T−1 … 0 (the backward direction of a bidirectional layer); y stays indexed by t. */
  reverse: boolean;
  /** Keep what the backward kernel needs; false for inference. */
  keepCache: boolean;
}

/** What a forward kept for its backward: backend-specific, opaque to callers. */
export interface SequenceCache {
  readonly backend: string;
}

export interface SequenceForwardResult {
  y: FloatArray; // [T, B, H]  y[t] = h_t
  hN: FloatArray; // [B, H]  state after the last processed step
  cN: FloatArray | null; // [B, H]  (lstm only)
  cache: SequenceCache | null;
}

export interface SequenceBackwardArgs {
  forward: SequenceForwardArgs; // the arguments of the forward call that made `cache`
  cache: SequenceCache;
  dy: FloatArray | null; // [T, B, H]  (null: no gradient through the outputs)
  dhN: FloatArray | null; // [B, H]
  dcN: FloatArray | null; // [B, H]
}

// ---------------------------------------------------------------------------------------------
// Dense ops

export interface GemmArgs {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  a: FloatArray; // op(A) is [M, K]: A is [M, K], or [K, M] when transA
  b: FloatArray; // op(B) is [K, N]: B is [K, N], or [N, K] when transB
  beta: number;
  c: FloatArray; // [M, N], in place: C = alpha op(A) op(B) + beta C
}

export type UnaryOp = 'tanh' | 'sigmoid' | 'relu' | 'exp' | 'log' | 'neg' | 'square' | 'sqrt';

export interface SoftmaxCrossEntropyResult {
  /** Sum over rows of mask[n] * −log softmax(logits[n])[targets[n]]. */
  lossSum: number;
  /** Sum of the mask (rows counted). */
  count: number;
  dlogits: FloatArray; // [N, C]  gradient of lossSum
}

export interface Backend {
  /** 'ts' or 'native'. */
  readonly name: string;
  /** Element types this backend computes in. */
  readonly dtypes: readonly DType[];

  // Whole-sequence kernels: one call per layer and direction. Step kernels are these with T = 1.
  sequenceForward(args: SequenceForwardArgs): SequenceForwardResult;
  sequenceBackward(args: SequenceBackwardArgs): SequenceGrads;

  gemm(args: GemmArgs): void;

  /** y[r, c] = x[r, c] + bias[c]; x [R, C], bias [C]. */
  addBias(x: FloatArray, bias: FloatArray, R: number, C: number): FloatArray;
  /** Column sums: out[c] = Σ_r x[r, c]; x [R, C]. */
  sumRows(x: FloatArray, R: number, C: number): FloatArray;

  unary(op: UnaryOp, x: FloatArray): FloatArray;
  /** Gradient of a unary op: dx given x, y = op(x), dy. */
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray): FloatArray;

  /** Row-wise softmax; x [R, C]. */
  softmax(x: FloatArray, R: number, C: number): FloatArray;
  /** dx = y ⊙ (dy − Σ_c y dy), row-wise; y = softmax(x). */
  softmaxBackward(y: FloatArray, dy: FloatArray, R: number, C: number): FloatArray;

  /** logits [N, C], targets [N] (class indices), mask [N] or null (all ones). */
  softmaxCrossEntropy(logits: FloatArray, targets: Int32Array, mask: FloatArray | null, N: number, C: number): SoftmaxCrossEntropyResult;

  /** out[n, :] = table[ids[n], :]; table [V, E], ids [N]; out [N, E]. */
  embeddingForward(table: FloatArray, ids: Int32Array, V: number, E: number): FloatArray;
  /** dTable [V, E] (in place, accumulated): dTable[ids[n], :] += dOut[n, :]. */
  embeddingBackward(dTable: FloatArray, ids: Int32Array, dOut: FloatArray, V: number, E: number): void;
}
