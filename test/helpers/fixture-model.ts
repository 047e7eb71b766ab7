import { GRU, LSTM, RNN, type DType, type RecurrentLayer } from '@recurrent/core';

export interface FixtureCase {
  metadata: Record<string, string>;
}

/** The layer a fixture's metadata describes; unknown kinds or options throw (a case never skips). */
export function buildFixtureModel(fc: FixtureCase, dtype: DType): RecurrentLayer {
  const m = fc.metadata;
  const known = new Set(['kind', 'mode', 'input_size', 'hidden_size', 'num_layers', 'bidirectional', 'bias', 'seq_len', 'batch', 'forward_only', 'peephole', 'coupled', 'reset_after', 'layout', 'loss', 'reference']);
  for (const k of Object.keys(m)) if (!known.has(k)) throw new Error(`fixture metadata has an unknown key '${k}'`);
  if (m.layout !== undefined && !m.layout.startsWith('seq-first')) throw new Error(`fixture layout '${m.layout}' is not sequence-first`);
  const bool = (k: string, dflt: boolean) => (m[k] === undefined ? dflt : m[k] === 'true' || m[k] === 'True' || m[k] === '1');
  const int = (k: string) => {
    const v = Number(m[k]);
    if (!Number.isInteger(v)) throw new Error(`fixture metadata ${k} = ${m[k]} is not an integer`);
    return v;
  };
  const base = {
    inputSize: int('input_size'),
    hiddenSize: int('hidden_size'),
    numLayers: int('num_layers'),
    bidirectional: bool('bidirectional', false),
    bias: bool('bias', true),
    dtype,
  };
  switch (m.mode) {
    case 'RNN_TANH':
      return new RNN({ ...base, nonlinearity: 'tanh' });
    case 'RNN_RELU':
      return new RNN({ ...base, nonlinearity: 'relu' });
    case 'LSTM':
      return new LSTM({ ...base, peephole: bool('peephole', false), coupled: bool('coupled', false) });
    case 'GRU':
      return new GRU({ ...base, resetAfter: bool('reset_after', true) });
    default:
      throw new Error(`fixture mode '${m.mode}' (kind '${m.kind}') is not one this test knows`);
  }
}
