import { DEFAULT_LSTM_VARIANT, type LstmVariant } from '../backend/contract.js';
import { allocFloat, type DType } from '../dtype.js';
import { OptionError } from '../errors.js';
import { fillPytorchRecurrent } from '../init.js';
import type { CellParams } from '../ops/recurrent.js';
import type { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

/** The Greff et al. 2015 variants, all off by default (PyTorch's LSTM). See LstmVariant. */
export interface LSTMOptions extends RecurrentOptions, Partial<LstmVariant> {}

const VARIANT_KEYS = Object.keys(DEFAULT_LSTM_VARIANT) as (keyof LstmVariant)[];

/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997) with forget gate (Gers et al. 2000);
 * gate order i, f, g, o as torch.nn.LSTM. Extra parameters: `weight_peephole_l{k}` [3, H]
 * (rows i, f, o) with `peephole`, and `weight_gate_recurrence_l{k}` [3H, 3H] with
 * `fullGateRecurrence`.
 */
export class LSTM extends RecurrentLayer {
  constructor(options: LSTMOptions) {
    const variant: LstmVariant = { ...DEFAULT_LSTM_VARIANT };
    for (const k of VARIANT_KEYS) {
      const v = options?.[k];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') throw new OptionError(`LSTM: ${k} must be true or false, got ${String(v)}`);
      variant[k] = v;
    }
    if (variant.coupled && (variant.noInputGate || variant.noForgetGate)) {
      throw new OptionError('LSTM: coupled (CIFG) ties the forget gate to the input gate; it cannot combine with noInputGate or noForgetGate');
    }
    super('LSTM', options, VARIANT_KEYS, { kind: 'lstm', variant });
  }

  get variant(): LstmVariant {
    return (this.cell as { kind: 'lstm'; variant: LstmVariant }).variant;
  }

  protected get gates(): number {
    return 4;
  }

  protected override addCellParameters(params: CellParams, suffix: string, dtype: DType, rng: Random): void {
    const H = this.hiddenSize;
    const v = (this.cell as { kind: 'lstm'; variant: LstmVariant }).variant;
    if (v.peephole) {
      params.wPeep = this.registerParameter(`weight_peephole${suffix}`, new Tensor(allocFloat(dtype, 3 * H), [3, H]));
      fillPytorchRecurrent(params.wPeep.data, H, rng);
    }
    if (v.fullGateRecurrence) {
      params.wGateRec = this.registerParameter(`weight_gate_recurrence${suffix}`, new Tensor(allocFloat(dtype, 9 * H * H), [3 * H, 3 * H]));
      fillPytorchRecurrent(params.wGateRec.data, H, rng);
    }
  }

  protected override applyForgetBias(value: number): void {
    const H = this.hiddenSize;
    if (!this.bias) throw new OptionError('LSTM: init.forgetBias needs bias: true');
    for (const perDir of this.cells) {
      for (const p of perDir) {
        p.bIh!.data.fill(value, H, 2 * H);
        p.bHh!.data.fill(0, H, 2 * H);
      }
    }
  }
}
