import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DType, FloatArray } from '../../dtype.js';
import { readSafetensorsFile } from '../../io/safetensors.js';
import type { CellSpec, SequenceForwardArgs, SequenceForwardResult } from '../contract.js';
import { sequenceBackward, sequenceForward } from './sequence.js';
import { castArray, lstmCell, relativeError } from './sequence-testkit.js';

/**
 * The kernels against reference vectors: PyTorch autograd (test/fixtures/torch, forward and
 * gradients) and float64 NumPy checked against ONNX Runtime (test/fixtures/ort, forward only,
 * for the forms PyTorch lacks). Unidirectional stacks run layer after layer, the gradient of
 * one layer's x being the dy of the layer below. Error = max |ours − ref| / max |ref|.
 */

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/', import.meta.url));
const TOLERANCE: Record<DType, number> = { float64: 1e-12, float32: 1e-5 };

interface Fixture {
  meta: Record<string, string>;
  get(name: string): Float64Array | null;
}

async function load(path: string): Promise<Fixture> {
  const file = await readSafetensorsFile(FIXTURES + path, { float: 'float64' });
  return {
    meta: file.metadata,
    get: (name) => (file.tensors.get(name)?.data as Float64Array | undefined) ?? null,
  };
}

function cellOf(meta: Record<string, string>): CellSpec {
  switch (meta.mode) {
    case 'RNN_TANH':
      return { kind: 'rnn', activation: 'tanh' };
    case 'RNN_RELU':
      return { kind: 'rnn', activation: 'relu' };
    case 'LSTM':
      return lstmCell({ peephole: meta.peephole === 'true', coupled: meta.coupled === 'true' });
    case 'GRU':
      return { kind: 'gru', resetAfter: meta.reset_after !== 'false' };
    default:
      throw new Error(`unknown fixture mode ${meta.mode}`);
  }
}

/** Layer l's slice of a [L, B, H] state tensor. */
function layerSlice(a: Float64Array | null, l: number, BH: number): Float64Array | null {
  return a === null ? null : a.subarray(l * BH, (l + 1) * BH);
}

function concat(parts: FloatArray[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function check(path: string, dtype: DType): Promise<void> {
  const f = await load(path);
  const m = f.meta;
  expect(m.bidirectional, 'only unidirectional fixtures run layer by layer here').toBe('false');
  const cell = cellOf(m);
  const [T, B, In, H, L] = ['seq_len', 'batch', 'input_size', 'hidden_size', 'num_layers'].map((k) => Number(m[k]));
  const BH = B * H;
  const cast = <A extends Float64Array | null>(a: A) => castArray(a, dtype);
  const layers: { args: SequenceForwardArgs; out: SequenceForwardResult }[] = [];
  let x = cast(f.get('input.x')!) as FloatArray;
  for (let l = 0; l < L; l++) {
    const args: SequenceForwardArgs = {
      T,
      B,
      I: l === 0 ? In : H,
      H,
      cell,
      x,
      weights: {
        wIh: cast(f.get(`param.weight_ih_l${l}`)!),
        wHh: cast(f.get(`param.weight_hh_l${l}`)!),
        bIh: cast(f.get(`param.bias_ih_l${l}`)),
        bHh: cast(f.get(`param.bias_hh_l${l}`)),
        wPeep: cast(f.get(`param.weight_peephole_l${l}`)),
        wGateRec: null,
      },
      h0: cast(layerSlice(f.get('input.h0'), l, BH)!),
      c0: cast(layerSlice(f.get('input.c0'), l, BH)),
      reverse: false,
      keepCache: true,
    };
    const out = sequenceForward(args);
    layers.push({ args, out });
    x = out.y;
  }
  const tol = TOLERANCE[dtype];
  const expectClose = (name: string, ours: FloatArray | null) => {
    const ref = f.get(name);
    expect(ref, `${path}: ${name} missing`).not.toBeNull();
    expect(ours, `${path}: ${name}`).not.toBeNull();
    expect(relativeError(ours!, ref!), `${path} ${dtype}: ${name}`).toBeLessThanOrEqual(tol);
  };
  expectClose('output.y', layers[L - 1].out.y);
  expectClose('output.hn', concat(layers.map((p) => p.out.hN)));
  if (cell.kind === 'lstm') expectClose('output.cn', concat(layers.map((p) => p.out.cN!)));
  if (m.forward_only === 'true') return;

  let dy = cast(f.get('upstream.y')) as FloatArray | null;
  const dh0: FloatArray[] = [];
  const dc0: FloatArray[] = [];
  for (let l = L - 1; l >= 0; l--) {
    const { args, out } = layers[l];
    const g = sequenceBackward({
      forward: args,
      cache: out.cache!,
      dy,
      dhN: cast(layerSlice(f.get('upstream.hn'), l, BH)),
      dcN: cast(layerSlice(f.get('upstream.cn'), l, BH)),
    });
    dh0[l] = g.dh0;
    if (g.dc0 !== null) dc0[l] = g.dc0;
    expectClose(`grad.weight_ih_l${l}`, g.dWIh);
    expectClose(`grad.weight_hh_l${l}`, g.dWHh);
    if (args.weights.bIh !== null) expectClose(`grad.bias_ih_l${l}`, g.dBIh);
    if (args.weights.bHh !== null) expectClose(`grad.bias_hh_l${l}`, g.dBHh);
    dy = g.dx;
  }
  expectClose('grad.x', dy);
  expectClose('grad.h0', concat(dh0));
  if (cell.kind === 'lstm') expectClose('grad.c0', concat(dc0));
}

const CASES = [
  'torch/rnn_tanh_1l.safetensors',
  'torch/lstm_1l.safetensors',
  'torch/gru_1l.safetensors',
  'torch/lstm_nobias.safetensors',
  'torch/lstm_t1_b1.safetensors',
  'torch/lstm_large.safetensors',
  'torch/gru_large.safetensors',
  'ort/lstm_peephole.safetensors',
  'ort/lstm_cifg.safetensors',
  'ort/gru_reset_before.safetensors',
];

describe('sequence kernels reproduce the reference vectors', () => {
  for (const path of CASES) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${path} in ${dtype}`, () => check(path, dtype));
    }
  }
});
