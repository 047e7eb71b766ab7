/**
 * Saving and loading an Echo State Network as safetensors: the reservoir matrices (W in CSR
 * as three tensors), W_in, bias, W_fb, the readout and the current state, with the
 * hyper-parameters as JSON in the metadata. Loading rebuilds the network from the stored
 * matrices (no random draw), so a loaded network computes exactly what the saved one did.
 */
import { parseSafetensors, readSafetensorsFile, serializeSafetensors, writeSafetensorsFile, type Safetensors, type TensorToWrite } from '@recurrent/core';
import { EchoStateNetwork, type EsnOptions } from './esn.js';

const FORMAT = 'recurrent-esn/1';

export function esnToSafetensorsEntries(esn: EchoStateNetwork): { tensors: Record<string, TensorToWrite>; metadata: Record<string, string> } {
  const r = esn.reservoir;
  const c = r.config;
  if (typeof c.activation === 'function') {
    throw new TypeError('saveEsn: a network with a custom activation function cannot be saved; use one of the built-in activations');
  }
  const n = c.units;
  const nnz = r.W.rowStart[n];
  const float = (data: Float32Array | Float64Array, shape: number[]): TensorToWrite => ({ data, shape, dtype: data instanceof Float32Array ? 'F32' : 'F64' });
  const tensors: Record<string, TensorToWrite> = {
    'reservoir.W.row_start': { data: r.W.rowStart, shape: [n + 1], dtype: 'I32' },
    'reservoir.W.col_index': { data: r.W.colIndex, shape: [nnz], dtype: 'I32' },
    'reservoir.W.values': float(r.W.values, [nnz]),
    'reservoir.W_in': float(r.Win, [n, c.inputs]),
    'reservoir.bias': float(r.bias, [n]),
    'reservoir.state': float(r.state, [n]),
    'readout.last_output': float(esn.lastOutput, [c.outputs]),
  };
  if (r.Wfb !== null) tensors['reservoir.W_fb'] = float(r.Wfb, [n, c.outputs]);
  if (esn.readoutWeights !== null) tensors['readout.weight'] = float(esn.readoutWeights, [c.outputs, esn.featureWidth]);
  const options = {
    units: c.units,
    inputs: c.inputs,
    outputs: c.outputs,
    spectralRadius: c.spectralRadius,
    density: c.density,
    distribution: c.distribution,
    inputScaling: c.inputScaling,
    inputConnectivity: c.inputConnectivity,
    inputDistribution: c.inputDistribution,
    biasScaling: c.biasScaling,
    feedbackScaling: c.feedbackScaling,
    feedbackConnectivity: c.feedbackConnectivity,
    leakRate: c.leakRate,
    activation: c.activation,
    stateNoise: c.stateNoise,
    precision: c.precision,
    seed: c.seed,
    ridge: esn.ridge,
    regularizeBias: esn.regularizeBias,
    readoutInput: esn.readoutInput,
    readoutFeedback: esn.readoutFeedback,
  };
  return { tensors, metadata: { format: FORMAT, 'esn.options': JSON.stringify(options) } };
}

export function esnFromSafetensors(file: Safetensors, where = 'loadEsn'): EchoStateNetwork {
  if (file.metadata.format !== FORMAT) {
    throw new TypeError(`${where}: not an ESN file: metadata format is ${JSON.stringify(file.metadata.format)}, expected ${JSON.stringify(FORMAT)}`);
  }
  const options = JSON.parse(file.metadata['esn.options'] ?? 'null') as EsnOptions | null;
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: metadata 'esn.options' is missing`);
  const get = (name: string, required = true): ArrayLike<number> | undefined => {
    const t = file.tensors.get(name);
    if (t === undefined) {
      if (required) throw new TypeError(`${where}: tensor '${name}' is missing`);
      return undefined;
    }
    if (t.data instanceof BigInt64Array) throw new TypeError(`${where}: tensor '${name}' has dtype ${t.dtype}, expected a float or I32 tensor`);
    return t.data;
  };
  const n = options.units;
  const rowStart = Int32Array.from(get('reservoir.W.row_start')!);
  const colIndex = Int32Array.from(get('reservoir.W.col_index')!);
  const values = Float64Array.from(get('reservoir.W.values')!);
  const Wfb = get('reservoir.W_fb', false);
  const esn = new EchoStateNetwork({
    ...options,
    weights: {
      W: { rows: n, cols: n, rowStart, colIndex, values },
      Win: get('reservoir.W_in')!,
      bias: get('reservoir.bias')!,
      ...(Wfb !== undefined ? { Wfb } : {}),
    },
  });
  esn.reservoir.setState(get('reservoir.state')!);
  const last = get('readout.last_output')!;
  for (let o = 0; o < esn.outputs; o++) esn.lastOutput[o] = last[o];
  const w = get('readout.weight', false);
  if (w !== undefined) esn.setReadout(w);
  return esn;
}

/** Writes the network to a .safetensors file (atomically). */
export async function saveEsn(esn: EchoStateNetwork, path: string): Promise<void> {
  const { tensors, metadata } = esnToSafetensorsEntries(esn);
  await writeSafetensorsFile(path, tensors, metadata);
}

/** Reads a network written by saveEsn. */
export async function loadEsn(path: string): Promise<EchoStateNetwork> {
  return esnFromSafetensors(await readSafetensorsFile(path), `loadEsn(${path})`);
}

/** In-memory variants. */
export function serializeEsn(esn: EchoStateNetwork): Uint8Array {
  const { tensors, metadata } = esnToSafetensorsEntries(esn);
  return serializeSafetensors(tensors, metadata);
}

export function deserializeEsn(bytes: Uint8Array): EchoStateNetwork {
  return esnFromSafetensors(parseSafetensors(bytes), 'deserializeEsn');
}
