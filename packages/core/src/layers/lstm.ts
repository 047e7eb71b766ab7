import { DEFAULT_LSTM_VARIANT, type LstmVariant } from '../backend/contract.js';
import { allocFloat, type DType } from '../dtype.js';
import { fillPytorchRecurrent } from '../init.js';
import type { CellParams } from '../ops/recurrent.js';
import type { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { object } from '../schema/object.js';
import { bool } from '../schema/primitives.js';
import { parse, type Infer, type Schema } from '../schema/schema.js';
import { initRule, RecurrentLayer, recurrentShape } from './recurrent-layer.js';

const VARIANT_KEYS = Object.keys(DEFAULT_LSTM_VARIANT) as (keyof LstmVariant)[];
/** The Greff et al. 2015 variants as boolean fields, all off by default (PyTorch's LSTM). See LstmVariant. */
const variantShape = Object.fromEntries(VARIANT_KEYS.map((k) => [k, bool().default(DEFAULT_LSTM_VARIANT[k])])) as {
  [K in keyof LstmVariant]: Schema<boolean | undefined, boolean>;
};

export const lstmOptionsSchema = object(
  { ...recurrentShape, ...variantShape },
  {
    where: (o) =>
      o.coupled && (o.noInputGate || o.noForgetGate)
        ? 'coupled (CIFG) ties the forget gate to the input gate; it cannot combine with noInputGate or noForgetGate'
        : initRule(o, true),
  },
);
export type LSTMOptions = Infer<typeof lstmOptionsSchema>;

/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997) with forget gate (Gers et al. 2000);
 * gate order i, f, g, o as torch.nn.LSTM. Extra parameters: `weight_peephole_l{k}` [3, H]
 * (rows i, f, o) with `peephole`, and `weight_gate_recurrence_l{k}` [3H, 3H] with
 * `fullGateRecurrence`.
 */
export class LSTM extends RecurrentLayer {
  constructor(options: LSTMOptions) {
    const o = parse('LSTM', lstmOptionsSchema, options);
    const variant = Object.fromEntries(VARIANT_KEYS.map((k) => [k, o[k]])) as unknown as LstmVariant;
    super('LSTM', o, { kind: 'lstm', variant });
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

  protected override cellParameterShapes(): Array<[string, number[]]> {
    const H = this.hiddenSize;
    return this.variant.fullGateRecurrence ? [['weight_gate_recurrence_l0', [3 * H, 3 * H]]] : [];
  }

  protected override applyForgetBias(value: number): void {
    const H = this.hiddenSize;
    for (const perDir of this.cells) {
      for (const p of perDir) {
        p.bIh!.data.fill(value, H, 2 * H);
        p.bHh!.data.fill(0, H, 2 * H);
      }
    }
  }
}
