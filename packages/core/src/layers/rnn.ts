import { object } from '../schema/object.js';
import { oneOf } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import { initRule, RecurrentLayer, recurrentShape } from './recurrent-layer.js';

export const rnnOptionsSchema = object(
  {
    ...recurrentShape,
    /** h' = act(W_ih x + b_ih + W_hh h + b_hh); default 'tanh' (Elman 1990). */
    nonlinearity: oneOf(['tanh', 'relu', 'sigmoid']).default('tanh'),
  },
  { where: (o) => initRule(o, false) },
);
export type RNNOptions = Infer<typeof rnnOptionsSchema>;

/** Vanilla (Elman) RNN with tanh, ReLU or sigmoid units; parameters as torch.nn.RNN. */
export class RNN extends RecurrentLayer {
  constructor(options: RNNOptions) {
    const o = parse('RNN', rnnOptionsSchema, options);
    super('RNN', o, { kind: 'rnn', activation: o.nonlinearity });
  }

  protected get gates(): number {
    return 1;
  }
}
