import type { RnnActivation } from '../backend/contract.js';
import { checkOneOf } from '../errors.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

export interface RNNOptions extends RecurrentOptions {
  /** h' = act(W_ih x + b_ih + W_hh h + b_hh); default 'tanh' (Elman 1990). */
  nonlinearity?: RnnActivation;
}

/** Vanilla (Elman) RNN with tanh, ReLU or sigmoid units; parameters as torch.nn.RNN. */
export class RNN extends RecurrentLayer {
  constructor(options: RNNOptions) {
    const activation = checkOneOf('RNN', 'nonlinearity', options?.nonlinearity ?? 'tanh', ['tanh', 'relu', 'sigmoid'] as const);
    super('RNN', options, ['nonlinearity'], { kind: 'rnn', activation });
  }

  protected get gates(): number {
    return 1;
  }
}
