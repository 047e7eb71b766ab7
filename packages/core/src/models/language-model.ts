import { noGrad } from '../autograd/tape.js';
import type { DType } from '../dtype.js';
import { checkOneOf, checkOptionKeys, checkPositiveInt, OptionError, ShapeError } from '../errors.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { Linear } from '../layers/linear.js';
import { LSTM } from '../layers/lstm.js';
import { Module } from '../layers/module.js';
import type { RecurrentLayer, RecurrentState } from '../layers/recurrent-layer.js';
import { RNN } from '../layers/rnn.js';
import { softmaxCrossEntropy } from '../loss/index.js';
import { detach, reshape } from '../ops/shape-ops.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';

export interface LanguageModelOptions {
  vocabSize: number;
  embeddingDim?: number;
  hiddenSize: number;
  numLayers?: number;
  cell?: 'lstm' | 'gru' | 'rnn';
  dropout?: number;
  dtype?: DType;
  seed?: number;
}

export interface WindowLoss {
  loss: Tensor; // scalar: mean cross-entropy in nats per token
  /** The final state, detached: pass it to the next window (truncated BPTT). */
  state: RecurrentState;
}

/**
 * A token-level language model: Embedding → recurrent stack → Linear to logits. Trained on
 * windows of [T, B] token ids with the state carried across windows (truncated BPTT,
 * Williams & Peng 1990); sampled one token at a time with temperature.
 */
export class LanguageModel extends Module {
  readonly vocabSize: number;
  readonly embedding: Embedding;
  readonly rnn: RecurrentLayer;
  readonly head: Linear;
  readonly options: Required<LanguageModelOptions>;

  constructor(options: LanguageModelOptions) {
    super();
    checkOptionKeys('LanguageModel', options, ['vocabSize', 'embeddingDim', 'hiddenSize', 'numLayers', 'cell', 'dropout', 'dtype', 'seed']);
    const vocabSize = checkPositiveInt('LanguageModel', 'vocabSize', options.vocabSize);
    const hiddenSize = checkPositiveInt('LanguageModel', 'hiddenSize', options.hiddenSize);
    const cell = checkOneOf('LanguageModel', 'cell', options.cell ?? 'lstm', ['lstm', 'gru', 'rnn'] as const);
    this.options = {
      vocabSize,
      hiddenSize,
      cell,
      embeddingDim: options.embeddingDim ?? Math.min(64, hiddenSize),
      numLayers: options.numLayers ?? 2,
      dropout: options.dropout ?? 0,
      dtype: options.dtype ?? 'float32',
      seed: options.seed ?? 0,
    };
    const o = this.options;
    this.vocabSize = vocabSize;
    const rng = new Random(o.seed);
    this.embedding = this.registerModule('embedding', new Embedding(vocabSize, o.embeddingDim, { dtype: o.dtype, seed: rng.nextUint32() }));
    const rnnOptions = { inputSize: o.embeddingDim, hiddenSize, numLayers: o.numLayers, dropout: o.dropout, dtype: o.dtype, seed: rng.nextUint32() };
    this.rnn = this.registerModule('rnn', cell === 'lstm' ? new LSTM(rnnOptions) : cell === 'gru' ? new GRU(rnnOptions) : new RNN(rnnOptions));
    this.head = this.registerModule('head', new Linear(hiddenSize, vocabSize, { dtype: o.dtype, seed: rng.nextUint32() }));
  }

  config(): Record<string, unknown> {
    const { seed: _seed, dtype: _dtype, ...shape } = this.options;
    return shape;
  }

  /** Logits [T, B, V] for ids [T, B], and the final state. */
  logits(ids: Int32Array, T: number, B: number, state: RecurrentState = {}): { logits: Tensor; state: RecurrentState } {
    if (ids.length !== T * B) throw new ShapeError(`LanguageModel: ids have ${ids.length} elements, expected T·B = ${T}·${B} = ${T * B}`);
    const emb = this.embedding.forward(ids, [T, B]); // [T, B, E]
    const r = this.rnn.forwardSequence(emb, state);
    const logits = this.head.forward(r.output); // [T, B, V]
    return { logits, state: { h0: r.hN, c0: r.cN ?? undefined } };
  }

  /** Mean cross-entropy of predicting targets [T, B] from inputs [T, B]. */
  windowLoss(inputs: Int32Array, targets: Int32Array, T: number, B: number, state: RecurrentState = {}): WindowLoss {
    const { logits, state: next } = this.logits(inputs, T, B, state);
    const loss = softmaxCrossEntropy(reshape(logits, [T * B, this.vocabSize]), targets, { reduction: 'mean' });
    return { loss, state: detachState(next) };
  }

  /**
   * Generates `length` tokens after `prompt` (ids), sampling from softmax(logits / temperature);
   * temperature 0 picks the most likely token.
   */
  sample(prompt: Int32Array, length: number, options: { temperature?: number; seed?: number } = {}): Int32Array {
    const temperature = options.temperature ?? 1;
    if (!(temperature >= 0)) throw new OptionError(`LanguageModel.sample: temperature must be ≥ 0, got ${temperature}`);
    if (prompt.length === 0) throw new ShapeError('LanguageModel.sample: the prompt is empty; expected at least one token');
    const rng = new Random(options.seed ?? 0);
    const out = new Int32Array(length);
    const wasTraining = this.training;
    this.eval();
    try {
      noGrad(() => {
        let { logits, state } = this.logits(prompt, prompt.length, 1);
        let last = logits.data.subarray((prompt.length - 1) * this.vocabSize);
        for (let i = 0; i < length; i++) {
          const id = pick(last, temperature, rng);
          out[i] = id;
          ({ logits, state } = this.logits(Int32Array.of(id), 1, 1, state));
          last = logits.data;
        }
      });
    } finally {
      this.train(wasTraining);
    }
    return out;
  }
}

function detachState(s: RecurrentState): RecurrentState {
  return { h0: s.h0 && detach(s.h0), c0: s.c0 && detach(s.c0) };
}

/** Samples an index from softmax(logits / temperature). */
function pick(logits: ArrayLike<number>, temperature: number, rng: Random): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0) return best;
  const max = logits[best]!;
  let sum = 0;
  const p = new Float64Array(logits.length); // [V]
  for (let i = 0; i < p.length; i++) sum += p[i] = Math.exp((logits[i]! - max) / temperature);
  let u = rng.uniform() * sum;
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return p.length - 1;
}
