import type { DType } from '../dtype.js';
import { allocFloat } from '../dtype.js';
import { checkOptionKeys, checkPositiveInt } from '../errors.js';
import { fillNormal } from '../init.js';
import { embedding } from '../ops/embedding.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

export interface EmbeddingOptions {
  dtype?: DType;
  seed?: number;
}

/** A lookup table [numEmbeddings, dim], initialised N(0, 1) as PyTorch's. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Tensor; // [V, E]

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkOptionKeys('Embedding', options, ['dtype', 'seed']);
    this.numEmbeddings = checkPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    this.embeddingDim = checkPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    const dtype = options.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', new Tensor(allocFloat(dtype, numEmbeddings * embeddingDim), [numEmbeddings, embeddingDim]));
    fillNormal(this.weight.data, 0, 1, new Random(options.seed ?? 0));
  }

  config(): Record<string, unknown> {
    return { numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim };
  }

  /** ids of shape `shape`, an Int32Array of ids in [0, numEmbeddings) (the backend's kernel checks them) → [...shape, dim]. */
  forward(ids: Int32Array, shape: readonly number[] = [ids.length]): Tensor {
    return embedding(this.weight, ids, shape);
  }
}
