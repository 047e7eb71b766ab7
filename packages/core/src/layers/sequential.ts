import type { Tensor } from '../tensor.js';
import { custom } from '../schema/primitives.js';
import { parseArgument } from '../schema/schema.js';
import { Module } from './module.js';

const layerSchema = custom<TensorLayer>('a Module with forward(x)', (v) => v instanceof Module && typeof (v as { forward?: unknown }).forward === 'function');

/** A module that maps one tensor to one tensor. */
export interface TensorLayer extends Module {
  forward(x: Tensor): Tensor;
}

/** Runs its layers in order; parameters are named `0.weight`, `1.bias`, … as PyTorch's. */
export class Sequential extends Module {
  readonly layers: readonly TensorLayer[];

  constructor(...layers: TensorLayer[]) {
    super();
    layers.forEach((l, i) => parseArgument('Sequential', `layers[${i}]`, layerSchema, l));
    this.layers = layers;
    layers.forEach((l, i) => this.registerModule(String(i), l));
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }
}
