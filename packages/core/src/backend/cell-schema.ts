/** The cell descriptor (CellSpec) as a schema: backends check what they are asked to run with it. */
import { object } from '../schema/object.js';
import { bool, oneOf, tagged } from '../schema/primitives.js';
import type { Schema } from '../schema/schema.js';
import type { CellSpec, LstmVariant } from './contract.js';

/** The LSTM variant flags in their canonical order (cellKey, messages). */
export const LSTM_FLAGS = [
  'peephole',
  'coupled',
  'noInputGate',
  'noForgetGate',
  'noOutputGate',
  'noInputActivation',
  'noOutputActivation',
  'fullGateRecurrence',
] as const satisfies readonly (keyof LstmVariant)[];

const lstmVariant = object(Object.fromEntries(LSTM_FLAGS.map((f) => [f, bool()])) as { [K in keyof LstmVariant]: Schema<boolean> }, {
  where: (v) =>
    v.coupled && (v.noInputGate || v.noForgetGate)
      ? `cell.variant.coupled (f = 1 − i) cannot be combined with ${v.noInputGate ? 'noInputGate' : 'noForgetGate'}; expected at most one of them`
      : undefined,
});

export const cellSpecSchema: Schema<CellSpec> = tagged('kind', {
  rnn: object({ kind: oneOf(['rnn']), activation: oneOf(['tanh', 'relu', 'sigmoid']) }),
  lstm: object({ kind: oneOf(['lstm']), variant: lstmVariant }),
  gru: object({ kind: oneOf(['gru']), resetAfter: bool() }),
  mgu: object({ kind: oneOf(['mgu']) }),
});
