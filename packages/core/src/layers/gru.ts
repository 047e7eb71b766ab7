import { OptionError } from '../errors.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

export interface GRUOptions extends RecurrentOptions {
  /**
   * true (default, PyTorch and cuDNN): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
   * false (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
   */
  resetAfter?: boolean;
  /**
   * The minimal gated unit (Zhou et al. 2016): one gate f instead of r and z; weights have two
   * blocks (f, n) instead of three.
   */
  minimal?: boolean;
}

/** Gated recurrent unit (Cho et al. 2014); gate order r, z, n as torch.nn.GRU. */
export class GRU extends RecurrentLayer {
  constructor(options: GRUOptions) {
    const minimal = options?.minimal ?? false;
    const resetAfter = options?.resetAfter ?? true;
    if (minimal && options?.resetAfter !== undefined) {
      throw new OptionError('GRU: resetAfter does not apply to the minimal GRU (it has no reset gate); leave it unset');
    }
    super('GRU', options, ['resetAfter', 'minimal'], minimal ? { kind: 'mgu' } : { kind: 'gru', resetAfter });
  }

  protected get gates(): number {
    return this.cell.kind === 'mgu' ? 2 : 3;
  }
}
