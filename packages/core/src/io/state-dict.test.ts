import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DType } from '../dtype.js';
import { OptionError } from '../errors.js';
import { Module } from '../layers/module.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { readSafetensorsFile, serializeSafetensors, parseSafetensors, writeSafetensorsFile } from './safetensors.js';
import { CONFIG_KEY, loadModel, loadStateDict, MODULE_KEY, saveModel, stateDict, StateDictError } from './state-dict.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/torch/', import.meta.url));

// ---- small modules with PyTorch-named parameters (no forward pass; the real layers live in ../layers)

interface StackOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  nonlinearity?: 'tanh' | 'relu';
  dtype?: DType;
  seed?: number;
}

/** The parameters of a PyTorch RNN/LSTM/GRU stack with `gates` gate blocks. */
abstract class Stack extends Module {
  readonly options: Required<StackOptions>;
  protected constructor(gates: number, o: StackOptions) {
    super();
    this.options = { numLayers: 1, bidirectional: false, bias: true, nonlinearity: 'tanh', dtype: 'float32', seed: 1, ...o };
    const { inputSize: I, hiddenSize: H, numLayers, bidirectional, bias, dtype, seed } = this.options;
    const rng = new Random(seed);
    const fill = (shape: number[]): Tensor => {
      const t = Tensor.zeros(shape, dtype);
      for (let i = 0; i < t.size; i++) t.data[i] = rng.uniformRange(-1, 1) / Math.sqrt(H);
      return t;
    };
    const dirs = bidirectional ? 2 : 1;
    for (let l = 0; l < numLayers; l++) {
      for (const sfx of bidirectional ? ['', '_reverse'] : ['']) {
        this.registerParameter(`weight_ih_l${l}${sfx}`, fill([gates * H, l === 0 ? I : dirs * H])); // [G*H, in]
        this.registerParameter(`weight_hh_l${l}${sfx}`, fill([gates * H, H])); // [G*H, H]
        if (bias) {
          this.registerParameter(`bias_ih_l${l}${sfx}`, fill([gates * H])); // [G*H]
          this.registerParameter(`bias_hh_l${l}${sfx}`, fill([gates * H])); // [G*H]
        }
      }
    }
  }

  config(): Record<string, unknown> {
    const { seed: _seed, dtype: _dtype, ...rest } = this.options;
    return rest;
  }
}

class LSTM extends Stack {
  constructor(o: StackOptions) {
    super(4, o);
  }
}
class GRU extends Stack {
  constructor(o: StackOptions) {
    super(3, o);
  }
}
class RNN extends Stack {
  constructor(o: StackOptions) {
    super(1, o);
  }
}

/** Nested modules and no config(): an LSTM encoder, a GRU decoder and an output matrix. */
class Seq2Seq extends Module {
  constructor(dtype: DType = 'float32', seed = 2) {
    super();
    this.registerParameter('out_weight', Tensor.from([1, 2, 3, 4, 5, 6], [2, 3], dtype)); // [V, H]
    this.registerModule('encoder', new LSTM({ inputSize: 2, hiddenSize: 3, dtype, seed }));
    this.registerModule('decoder', new GRU({ inputSize: 2, hiddenSize: 3, bias: false, dtype, seed: seed + 1 }));
  }
}

/** Every parameter's raw bytes, to compare models bit for bit. */
function parameterBytes(module: Module): Map<string, string> {
  return new Map(module.namedParameters().map(([n, t]) => [n, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));
}

describe('stateDict', () => {
  it('names parameters as PyTorch does, prefixing children, in registration order', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
    const names = [...stateDict(lstm).keys()];
    expect(names.slice(0, 8)).toEqual([
      'weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0',
      'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse',
    ]);
    expect(names).toHaveLength(16);
    expect(names).toContain('bias_hh_l1_reverse');
    expect(stateDict(lstm).get('weight_ih_l1')!.shape).toEqual([16, 8]);
    expect([...stateDict(new Seq2Seq()).keys()]).toEqual([
      'out_weight', 'encoder.weight_ih_l0', 'encoder.weight_hh_l0', 'encoder.bias_ih_l0', 'encoder.bias_hh_l0',
      'decoder.weight_ih_l0', 'decoder.weight_hh_l0',
    ]);
  });

  it('returns the live parameters', () => {
    const rnn = new RNN({ inputSize: 2, hiddenSize: 2 });
    expect(stateDict(rnn).get('weight_hh_l0')).toBe(rnn.parameters()[1]);
  });

  it('refuses a module whose parameter names collide', () => {
    class Clash extends Module {
      constructor() {
        super();
        this.registerParameter('a.b', Tensor.zeros([1]));
        const child = new (class extends Module {
          constructor() {
            super();
            this.registerParameter('b', Tensor.zeros([1]));
          }
        })();
        this.registerModule('a', child);
      }
    }
    expect(() => stateDict(new Clash())).toThrow("stateDict: Clash has two parameters named 'a.b'; names must be unique");
  });
});

describe('loadStateDict', () => {
  it('copies a state dict into another module bit for bit', () => {
    const a = new Seq2Seq('float32', 10);
    const b = new Seq2Seq('float32', 20);
    expect(parameterBytes(b)).not.toEqual(parameterBytes(a));
    const snapshot = new Map([...stateDict(a)].map(([n, t]) => [n, t.clone()]));
    const result = loadStateDict(b, snapshot);
    expect(parameterBytes(b)).toEqual(parameterBytes(a));
    expect(result).toEqual({ loaded: [...stateDict(a).keys()], missing: [], unexpected: [], mismatched: [] });
    // copies, not shared buffers
    expect(stateDict(b).get('out_weight')!.data).not.toBe(stateDict(a).get('out_weight')!.data);
  });

  it('lists missing, unexpected and mis-shaped names in one error and changes nothing', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
    const before = parameterBytes(lstm);
    const sd: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [n, t] of stateDict(new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 9 }))) sd[n] = { shape: [...t.shape], data: t.data as Float32Array };
    delete sd.weight_hh_l1;
    sd.foo = { shape: [1], data: new Float32Array(1) };
    sd.weight_ih_l0 = { shape: [8, 3], data: new Float32Array(24) };
    let error: unknown;
    try {
      loadStateDict(lstm, sd);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toBe(
      'loadStateDict: state dict does not match LSTM: missing weight_hh_l1; unexpected foo; weight_ih_l0 has shape [8,3], expected [16,3]',
    );
    expect((error as StateDictError).result.mismatched).toEqual([{ name: 'weight_ih_l0', reason: 'weight_ih_l0 has shape [8,3], expected [16,3]' }]);
    expect(parameterBytes(lstm)).toEqual(before); // the valid entries were not copied either
  });

  it('non-strict loads what fits and reports the rest', () => {
    const target = new LSTM({ inputSize: 3, hiddenSize: 4 });
    const source = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 5 });
    const sd = new Map<string, { shape: readonly number[]; data: ArrayLike<number> | BigInt64Array }>(stateDict(source));
    sd.delete('bias_hh_l0');
    sd.set('bias_ih_l0', { shape: [16], data: new BigInt64Array(16) });
    sd.set('weight_hh_l0', { shape: [16, 4], data: new Float32Array(3) });
    sd.set('extra.thing', { shape: [], data: [1] });
    const before = parameterBytes(target);
    const result = loadStateDict(target, sd, { strict: false });
    expect(result.loaded).toEqual(['weight_ih_l0']);
    expect(result.missing).toEqual(['bias_hh_l0']);
    expect(result.unexpected).toEqual(['extra.thing']);
    expect(result.mismatched.map((m) => m.reason)).toEqual([
      'weight_hh_l0 has 3 values, its shape [16,4] needs 64',
      'bias_ih_l0 holds 64-bit integers, expected floating-point values',
    ]);
    const after = parameterBytes(target);
    expect(after.get('weight_ih_l0')).toBe(parameterBytes(source).get('weight_ih_l0'));
    for (const n of ['weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']) expect(after.get(n)).toBe(before.get(n));
  });

  it('casts to the parameter dtype: float64 values round into a float32 model, float32 widen exactly', () => {
    const f32 = new RNN({ inputSize: 1, hiddenSize: 1, bias: false });
    loadStateDict(f32, { weight_ih_l0: { shape: [1, 1], data: new Float64Array([0.1]) }, weight_hh_l0: { shape: [1, 1], data: [1 / 3] } });
    expect(stateDict(f32).get('weight_ih_l0')!.data[0]).toBe(Math.fround(0.1));
    expect(stateDict(f32).get('weight_hh_l0')!.data[0]).toBe(Math.fround(1 / 3));
    const f64 = new RNN({ inputSize: 1, hiddenSize: 1, bias: false, dtype: 'float64' });
    loadStateDict(f64, stateDict(f32));
    expect(stateDict(f64).get('weight_ih_l0')!.data).toEqual(new Float64Array([Math.fround(0.1)]));
    expect(stateDict(f64).get('weight_ih_l0')!.dtype).toBe('float64');
  });

  it('checks its options and input', () => {
    const rnn = new RNN({ inputSize: 1, hiddenSize: 1 });
    expect(() => loadStateDict(rnn, {}, { strict: 'no' as never })).toThrow(OptionError);
    expect(() => loadStateDict(rnn, {}, { strct: false } as never)).toThrow("loadStateDict: unknown option 'strct'; did you mean 'strict'? expected one of strict");
    expect(() => loadStateDict(rnn, [] as never)).toThrow("loadStateDict: argument 'tensors' must be a Map or object of named tensors, got [] (array)");
    expect(() => loadStateDict(rnn, { weight_ih_l0: 5 as never }, { strict: true })).toThrow(/weight_ih_l0 is not a tensor \{shape, data\}/);
  });

  it('loads PyTorch parameters from a fixture, hinting at the name prefix when it is left on', async () => {
    const { tensors, metadata } = await readSafetensorsFile(join(FIXTURES, 'lstm_2l_bi.safetensors'));
    const lstm = new LSTM({
      inputSize: Number(metadata.input_size),
      hiddenSize: Number(metadata.hidden_size),
      numLayers: Number(metadata.num_layers),
      bidirectional: metadata.bidirectional === 'true',
    });
    expect(() => loadStateDict(lstm, tensors)).toThrow(/every missing name appears with the prefix 'param\.': strip it/);
    const params = new Map([...tensors].filter(([n]) => n.startsWith('param.')).map(([n, t]) => [n.slice('param.'.length), t]));
    const result = loadStateDict(lstm, params);
    expect(result.loaded).toHaveLength(16);
    for (const [n, t] of stateDict(lstm)) expect(t.data).toEqual(params.get(n)!.data);
  });
});

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recurrent-state-dict-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and loads a float32 model bit-identically, with the configuration in the metadata', async () => {
    const path = join(dir, 'lstm.safetensors');
    const saved = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 1 });
    await saveModel(path, saved, { metadata: { epochs: 12, note: 'first run', best: true } });
    const file = await readSafetensorsFile(path);
    expect(file.metadata).toEqual({
      format: 'pt',
      [MODULE_KEY]: 'LSTM',
      [CONFIG_KEY]: JSON.stringify(saved.config()),
      epochs: '12',
      note: 'first run',
      best: 'true',
    });
    expect([...file.tensors.values()].every((t) => t.dtype === 'F32')).toBe(true);

    const loaded = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 2 });
    const result = await loadModel(path, loaded);
    expect(parameterBytes(loaded)).toEqual(parameterBytes(saved));
    expect(result.metadata.epochs).toBe('12');
    expect(result.configDifferences).toEqual([]);
    expect(result.loaded).toHaveLength(16);
  });

  it('saves nested modules without config()', async () => {
    const path = join(dir, 'seq2seq.safetensors');
    const saved = new Seq2Seq('float32', 4);
    await saveModel(path, saved);
    const loaded = new Seq2Seq('float32', 8);
    await loadModel(path, loaded);
    expect(parameterBytes(loaded)).toEqual(parameterBytes(saved));
    expect((await readSafetensorsFile(path)).metadata).toEqual({ format: 'pt', [MODULE_KEY]: 'Seq2Seq' });
  });

  it('writes a float64 model as F32 by default (rounded) and as F64 when asked (exact)', async () => {
    const saved = new GRU({ inputSize: 2, hiddenSize: 3, dtype: 'float64', seed: 3 });
    const rounded = join(dir, 'gru32.safetensors');
    const exact = join(dir, 'gru64.safetensors');
    await saveModel(rounded, saved);
    await saveModel(exact, saved, { dtype: 'F64' });
    expect([...(await readSafetensorsFile(exact)).tensors.values()].every((t) => t.dtype === 'F64')).toBe(true);

    const a = new GRU({ inputSize: 2, hiddenSize: 3, dtype: 'float64', seed: 4 });
    await loadModel(exact, a);
    expect(parameterBytes(a)).toEqual(parameterBytes(saved));
    const b = new GRU({ inputSize: 2, hiddenSize: 3, dtype: 'float64', seed: 4 });
    await loadModel(rounded, b);
    for (const [n, t] of stateDict(b)) expect(t.data).toEqual(Float64Array.from(Float32Array.from(stateDict(saved).get(n)!.data)));
    expect(parameterBytes(b)).not.toEqual(parameterBytes(saved));
  });

  it('refuses a file from another architecture, names where it came from and leaves the model as it was', async () => {
    const path = join(dir, 'gru.safetensors');
    await saveModel(path, new GRU({ inputSize: 2, hiddenSize: 3 }));
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
    const before = parameterBytes(lstm);
    await expect(loadModel(path, lstm)).rejects.toThrow(
      `loadModel(${path}): state dict does not match LSTM: weight_ih_l0 has shape [9,2], expected [12,2]; weight_hh_l0 has shape [9,3], expected [12,3]; ` +
        'bias_ih_l0 has shape [9], expected [12]; bias_hh_l0 has shape [9], expected [12] (the file was saved from a GRU)',
    );
    expect(parameterBytes(lstm)).toEqual(before);
  });

  it('refuses a configuration that differs even when every shape matches, unless non-strict', async () => {
    const path = join(dir, 'relu.safetensors');
    const relu = new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: 'relu' });
    await saveModel(path, relu);
    const tanh = new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: 'tanh', seed: 7 });
    const before = parameterBytes(tanh);
    await expect(loadModel(path, tanh)).rejects.toThrow(
      `loadModel(${path}): state dict does not match RNN: config nonlinearity is "relu" in the file, "tanh" in the model`,
    );
    expect(parameterBytes(tanh)).toEqual(before);
    const result = await loadModel(path, tanh, { strict: false });
    expect(result.configDifferences).toEqual(['config nonlinearity is "relu" in the file, "tanh" in the model']);
    expect(parameterBytes(tanh)).toEqual(parameterBytes(relu));
  });

  it('loads a PyTorch-written file with no recurrent metadata', async () => {
    const { tensors } = await readSafetensorsFile(join(FIXTURES, 'gru_1l.safetensors'));
    const path = join(dir, 'torch-gru.safetensors');
    const params = new Map([...tensors].filter(([n]) => n.startsWith('param.')).map(([n, t]) => [n.slice(6), t]));
    await writeSafetensorsFile(path, params);
    const gru = new GRU({ inputSize: 5, hiddenSize: 8 });
    const result = await loadModel(path, gru);
    expect(result.metadata).toEqual({});
    for (const [n, t] of stateDict(gru)) expect(t.data).toEqual(params.get(n)!.data);
  });

  it('rejects bad options and metadata before touching the file system', async () => {
    const rnn = new RNN({ inputSize: 1, hiddenSize: 1 });
    const path = join(dir, 'never.safetensors');
    await expect(saveModel(path, rnn, { dtype: 'F16' as never })).rejects.toThrow("saveModel: option 'dtype' must be one of 'F32', 'F64', got 'F16' (string)");
    await expect(saveModel(path, rnn, { metadata: { run: { id: 1 } as never } })).rejects.toThrow(
      "saveModel: option 'metadata.run' must be a string or a finite number or a boolean, got an object with keys id",
    );
    expect(await readdir(dir)).not.toContain('never.safetensors');
    await expect(loadModel(join(dir, 'missing.safetensors'), rnn)).rejects.toThrow(/ENOENT/);
  });

  it('round-trips through bytes in memory too', () => {
    const m = new Seq2Seq('float32', 6);
    const bytes = serializeSafetensors(stateDict(m));
    const n = new Seq2Seq('float32', 7);
    loadStateDict(n, parseSafetensors(bytes).tensors);
    expect(parameterBytes(n)).toEqual(parameterBytes(m));
  });
});

describe('saveModel over an existing file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recurrent-save-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses metadata keys it writes itself, naming the key, and leaves the old file', async () => {
    const path = join(dir, 'reserved.safetensors');
    const rnn = new RNN({ inputSize: 1, hiddenSize: 2 });
    await saveModel(path, rnn);
    for (const key of ['format', CONFIG_KEY, MODULE_KEY, 'recurrent.other']) {
      const err = await saveModel(path, rnn, { metadata: { [key]: 'x' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OptionError);
      expect((err as Error).message).toBe(`saveModel: metadata key '${key}' is reserved (saveModel writes 'format' and 'recurrent.*' itself); choose another name`);
    }
    await loadModel(path, new RNN({ inputSize: 1, hiddenSize: 2 })); // still loadable
  });

  it('keeps the mode of a file it replaces (600 stays 600)', async () => {
    const path = join(dir, 'private.safetensors');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    await saveModel(path, new RNN({ inputSize: 1, hiddenSize: 2 }));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
