import type { DType } from '../dtype.js';
import { allocFloat } from '../dtype.js';
import { OptionError } from '../errors.js';
import { fillNormal } from '../init.js';
import { embedding } from '../ops/embedding.js';
import { Random } from '../random.js';
import { dtype, seed } from '../schema/common.js';
import { object } from '../schema/object.js';
import { instance, int } from '../schema/primitives.js';
import { firstIdOutside } from '../backend/ts/embedding-ids.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import { checkTensorSize } from '../schema/tensor-size.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

export const embeddingOptionsSchema = object({
  dtype: dtype().default('float32'),
  seed: seed().default(0),
});
export type EmbeddingOptions = Infer<typeof embeddingOptionsSchema>;

/** A lookup table [numEmbeddings, dim], initialised N(0, 1) as PyTorch's. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Tensor; // [V, E]

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = parseArgument('Embedding', 'numEmbeddings', int({ min: 1 }), numEmbeddings);
    this.embeddingDim = parseArgument('Embedding', 'embeddingDim', int({ min: 1 }), embeddingDim);
    const o = parse('Embedding', embeddingOptionsSchema, options);
    const dtype: DType = o.dtype;
    const big = numEmbeddings > embeddingDim ? 'numEmbeddings' : 'embeddingDim';
    checkTensorSize('Embedding', big, [numEmbeddings, embeddingDim], dtype === 'float64' ? 8 : 4, 'weight');
    this.weight = this.registerParameter('weight', new Tensor(allocFloat(dtype, numEmbeddings * embeddingDim), [numEmbeddings, embeddingDim]));
    fillNormal(this.weight.data, 0, 1, new Random(o.seed));
  }

  config(): Record<string, unknown> {
    return { numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim };
  }

  /**
   * ids of shape `shape`, an Int32Array of ids in [0, numEmbeddings) → [...shape, dim]. Checked
   * here with an OptionError naming this method; the kernels check the same rule (with the
   * built-in TypeError/RangeError of the backend contract) for callers of the op itself.
   */
  forward(ids: Int32Array, shape: readonly number[] = [ids.length]): Tensor {
    checkIds(ids, this.numEmbeddings);
    return embedding(this.weight, ids, shape);
  }
}

/** The public rule for ids: an Int32Array (no float or NaN id) with every id in [0, V). */
function checkIds(ids: unknown, V: number): asserts ids is Int32Array {
  const where = 'Embedding.forward';
  parseArgument(where, 'ids', instance(Int32Array), ids);
  const i = firstIdOutside(ids as Int32Array, V);
  if (i < 0) return;
  const expected = `ids in [0, ${V})`;
  const id = (ids as Int32Array)[i];
  throw new OptionError(`${where}: argument 'ids' holds ${id} at position ${i}; expected ${expected}`, { where, option: 'ids', value: id, expected });
}
