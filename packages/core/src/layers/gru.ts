import { object } from '../schema/object.js';
import { bool } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import { initRule, RecurrentLayer, recurrentShape } from './recurrent-layer.js';

export const gruOptionsSchema = object(
  {
    ...recurrentShape,
    /**
     * true (default, PyTorch and cuDNN): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
     * false (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
     */
    resetAfter: bool().optional(),
    /**
     * The minimal gated unit (Zhou et al. 2016): one gate f instead of r and z; weights have two
     * blocks (f, n) instead of three.
     */
    minimal: bool().default(false),
  },
  {
    where: (o) =>
      o.minimal && o.resetAfter !== undefined
        ? 'resetAfter does not apply to the minimal GRU (it has no reset gate); leave it unset'
        : initRule(o, false),
  },
);
export type GRUOptions = Infer<typeof gruOptionsSchema>;

/** Gated recurrent unit (Cho et al. 2014); gate order r, z, n as torch.nn.GRU. */
export class GRU extends RecurrentLayer {
  constructor(options: GRUOptions) {
    const o = parse('GRU', gruOptionsSchema, options);
    super('GRU', o, o.minimal ? { kind: 'mgu' } : { kind: 'gru', resetAfter: o.resetAfter ?? true });
  }

  protected get gates(): number {
    return this.cell.kind === 'mgu' ? 2 : 3;
  }
}
