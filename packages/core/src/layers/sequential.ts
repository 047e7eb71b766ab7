import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** A module that maps one tensor to one tensor. */
export interface TensorLayer extends Module {
  forward(x: Tensor): Tensor;
}

/** Runs its layers in order; parameters are named `0.weight`, `1.bias`, … as PyTorch's. */
export class Sequential extends Module {
  readonly layers: readonly TensorLayer[];

  constructor(...layers: TensorLayer[]) {
    super();
    this.layers = layers;
    layers.forEach((l, i) => this.registerModule(String(i), l));
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }
}
