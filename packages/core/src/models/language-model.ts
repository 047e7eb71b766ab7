import { noGrad } from '../autograd/tape.js';
import { ShapeError } from '../errors.js';
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
import { dtype, seed } from '../schema/common.js';
import { object } from '../schema/object.js';
import { finite, instance, int, oneOf } from '../schema/primitives.js';
import { parse, parseArgument, type Infer, type Parsed } from '../schema/schema.js';
import { Tensor } from '../tensor.js';

export const languageModelOptionsSchema = object({
  vocabSize: int({ min: 1 }),
  /** Default min(64, hiddenSize). */
  embeddingDim: int({ min: 1 }).optional(),
  hiddenSize: int({ min: 1 }),
  numLayers: int({ min: 1 }).default(2),
  cell: oneOf(['lstm', 'gru', 'rnn']).default('lstm'),
  dropout: finite({ min: 0, max: 1, exclusiveMax: true }).default(0),
  dtype: dtype().default('float32'),
  seed: seed().default(0),
});
export type LanguageModelOptions = Infer<typeof languageModelOptionsSchema>;

export const sampleOptionsSchema = object({
  /** Divides the logits; 0 picks the most likely token. Default 1. */
  temperature: finite({ min: 0 }).default(1),
  seed: seed().default(0),
  /** Sample only among the k most likely tokens (Fan et al. 2018). */
  topK: int({ min: 1 }).optional(),
  /** Sample only among the most likely tokens whose probabilities sum to at least p (nucleus, Holtzman et al. 2020). */
  topP: finite({ min: 0, max: 1, exclusiveMin: true }).optional(),
});
export type SampleOptions = Infer<typeof sampleOptionsSchema>;

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
  readonly options: Required<Parsed<typeof languageModelOptionsSchema>>;

  constructor(options: LanguageModelOptions) {
    super();
    const parsed = parse('LanguageModel', languageModelOptionsSchema, options);
    const o = { ...parsed, embeddingDim: parsed.embeddingDim ?? Math.min(64, parsed.hiddenSize) };
    this.options = o;
    const { vocabSize, hiddenSize, cell } = o;
    this.vocabSize = vocabSize;
    const rng = new Random(o.seed);
    const seeds = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    // The recurrent stack checks its sizes first, so a too-large model fails before the embedding is allocated.
    const rnnOptions = { inputSize: o.embeddingDim, hiddenSize, numLayers: o.numLayers, dropout: o.dropout, dtype: o.dtype, seed: seeds[1] };
    const rnn = cell === 'lstm' ? new LSTM(rnnOptions) : cell === 'gru' ? new GRU(rnnOptions) : new RNN(rnnOptions);
    const head = new Linear(hiddenSize, vocabSize, { dtype: o.dtype, seed: seeds[2] });
    this.embedding = this.registerModule('embedding', new Embedding(vocabSize, o.embeddingDim, { dtype: o.dtype, seed: seeds[0] }));
    this.rnn = this.registerModule('rnn', rnn);
    this.head = this.registerModule('head', head);
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
   * Generates `length` tokens after `prompt` (ids), sampling from softmax(logits / temperature),
   * restricted to the topK most likely tokens and/or the smallest set whose probability reaches
   * topP; temperature 0 picks the most likely token.
   */
  sample(prompt: Int32Array, length: number, options: SampleOptions = {}): Int32Array {
    const where = 'LanguageModel.sample';
    parseArgument(where, 'prompt', instance(Int32Array), prompt);
    parseArgument(where, 'length', int({ min: 0, max: 2 ** 31 - 1 }), length);
    const o = parse(where, sampleOptionsSchema, options);
    if (prompt.length === 0) throw new ShapeError('LanguageModel.sample: the prompt is empty; expected at least one token');
    const temperature = o.temperature;
    const rng = new Random(o.seed);
    const out = new Int32Array(length);
    const wasTraining = this.training;
    this.eval();
    try {
      noGrad(() => {
        let { logits, state } = this.logits(prompt, prompt.length, 1);
        let last = logits.data.subarray((prompt.length - 1) * this.vocabSize);
        for (let i = 0; i < length; i++) {
          const id = pick(last, temperature, rng, o.topK ?? this.vocabSize, o.topP ?? 1);
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

/**
 * Samples an index from softmax(logits / temperature) restricted to the topK most likely indices
 * and then to the fewest of those whose probability sums to at least topP (ties broken by index).
 */
function pick(logits: ArrayLike<number>, temperature: number, rng: Random, topK: number, topP: number): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0) return best;
  const max = logits[best]!;
  const p = new Float64Array(logits.length); // [V]
  for (let i = 0; i < p.length; i++) p[i] = Math.exp((logits[i]! - max) / temperature);
  let keep = Array.from(p.keys());
  if (topK < p.length || topP < 1) {
    keep.sort((a, b) => p[b]! - p[a]! || a - b);
    keep = keep.slice(0, Math.min(topK, keep.length));
    if (topP < 1) {
      const total = keep.reduce((s, i) => s + p[i]!, 0);
      let mass = 0;
      let n = 0;
      while (n < keep.length && mass < topP * total) mass += p[keep[n++]!]!;
      keep = keep.slice(0, Math.max(n, 1));
    }
  }
  let sum = 0;
  for (const i of keep) sum += p[i]!;
  let u = rng.uniform() * sum;
  for (const i of keep) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return keep[keep.length - 1]!;
}
