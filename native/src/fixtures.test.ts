import { DEFAULT_LSTM_VARIANT, parseSafetensors, type CellSpec, type SequenceForwardResult } from '@recurrent/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { native, relErr } from '../test/helpers.js';
import { packageRoot } from './binding.js';

/**
 * The PyTorch fixtures (test/fixtures/torch: forward and gradients) and the ONNX Runtime ones
 * (test/fixtures/ort: forward of the forms PyTorch lacks) through the native kernels directly,
 * stacking layers and directions as torch.nn.RNN/LSTM/GRU do. Error ≤ 1e-5 per tensor, at
 * every ISA level.
 */

const backend = native();
const FIXTURES = join(packageRoot, '..', 'test', 'fixtures');
const TOL = 1e-5;

interface Case {
  file: string;
  tensors: Map<string, { shape: number[]; data: Float32Array | Float64Array }>;
  meta: Record<string, string>;
}

function loadCases(dir: string): Case[] {
  const full = join(FIXTURES, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.safetensors'))
    .map((file) => {
      const st = parseSafetensors(new Uint8Array(readFileSync(join(full, file))));
      const tensors = new Map<string, { shape: number[]; data: Float32Array | Float64Array }>();
      for (const [name, t] of st.tensors) tensors.set(name, { shape: t.shape, data: t.data as Float32Array | Float64Array });
      return { file: `${dir}/${file}`, tensors, meta: st.metadata };
    });
}

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
const flag = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : v === 'true' || v === 'True' || v === '1');

function cellOf(meta: Record<string, string>): CellSpec {
  switch (meta.mode) {
    case 'RNN_TANH': return { kind: 'rnn', activation: 'tanh' };
    case 'RNN_RELU': return { kind: 'rnn', activation: 'relu' };
    case 'LSTM':
      return { kind: 'lstm', variant: { ...DEFAULT_LSTM_VARIANT, peephole: flag(meta.peephole, false), coupled: flag(meta.coupled, false) } };
    case 'GRU': return { kind: 'gru', resetAfter: flag(meta.reset_after, true) };
    default: throw new Error(`unknown fixture mode ${meta.mode}`);
  }
}

function runCase(c: Case): void {
  const m = c.meta;
  const T = Number(m.seq_len), B = Number(m.batch), H = Number(m.hidden_size), L = Number(m.num_layers);
  const D = flag(m.bidirectional, false) ? 2 : 1;
  const hasBias = flag(m.bias, true);
  const cell = cellOf(m);
  const lstm = cell.kind === 'lstm';
  const get = (n: string) => {
    const t = c.tensors.get(n);
    if (t === undefined) throw new Error(`${c.file}: missing tensor ${n}`);
    return t.data;
  };
  const maybe = (n: string) => (c.tensors.has(n) ? f32(get(n)) : null);
  const BH = B * H;
  const state = (n: string, k: number) => f32(get(n).subarray(k * BH, (k + 1) * BH));
  const layerArgs: { args: Parameters<typeof backend.sequenceForward>[0]; fwd: SequenceForwardResult }[][] = [];
  let input = f32(get('input.x'));
  let I = Number(m.input_size);
  const hN = new Float32Array(L * D * BH);
  const cN = new Float32Array(L * D * BH);
  for (let l = 0; l < L; l++) {
    const out = new Float32Array(T * B * D * H);
    const runs = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const k = l * D + d;
      const args = {
        T, B, I, H, cell,
        x: input,
        weights: {
          wIh: f32(get(`param.weight_ih${sfx}`)),
          wHh: f32(get(`param.weight_hh${sfx}`)),
          bIh: hasBias ? f32(get(`param.bias_ih${sfx}`)) : null,
          bHh: hasBias ? f32(get(`param.bias_hh${sfx}`)) : null,
          wPeep: lstm && cell.variant.peephole ? f32(get(`param.weight_peephole${sfx}`)) : null,
          wGateRec: null,
        },
        h0: state('input.h0', k),
        c0: lstm ? state('input.c0', k) : null,
        reverse: d === 1,
        keepCache: true,
      };
      const fwd = backend.sequenceForward(args);
      for (let tb = 0; tb < T * B; tb++) out.set(fwd.y.subarray(tb * H, tb * H + H), tb * D * H + d * H);
      hN.set(fwd.hN, k * BH);
      if (fwd.cN) cN.set(fwd.cN, k * BH);
      runs.push({ args, fwd });
    }
    layerArgs.push(runs);
    input = out;
    I = D * H;
  }
  const check = (name: string, ours: Float32Array, ref: Float32Array | Float64Array) => {
    const err = relErr(ours, ref);
    expect(err, `${c.file} ${name}: error ${err}`).toBeLessThanOrEqual(TOL);
  };
  check('y', input, get('output.y'));
  check('hn', hN, get('output.hn'));
  if (lstm) check('cn', cN, get('output.cn'));
  if (flag(m.forward_only, false)) return;

  // Backward, top layer first: the gradient of a layer's output splits by direction; the input
  // gradients of both directions add up to the gradient of the layer below's output.
  let dOut = f32(get('upstream.y')); // [T, B, D*H]
  const gradX: Record<string, Float32Array> = {};
  const dh0 = new Float32Array(L * D * BH), dc0 = new Float32Array(L * D * BH);
  for (let l = L - 1; l >= 0; l--) {
    const I_l = layerArgs[l][0].args.I;
    const dIn = new Float32Array(T * B * I_l);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const { args, fwd } = layerArgs[l][d];
      const dy = new Float32Array(T * BH);
      for (let tb = 0; tb < T * B; tb++) dy.set(dOut.subarray(tb * D * H + d * H, tb * D * H + d * H + H), tb * H);
      const g = backend.sequenceBackward({
        forward: args, cache: fwd.cache!, dy,
        dhN: state('upstream.hn', k), dcN: lstm ? state('upstream.cn', k) : null,
      });
      for (let i = 0; i < dIn.length; i++) dIn[i] += g.dx[i];
      dh0.set(g.dh0, k * BH);
      if (g.dc0) dc0.set(g.dc0, k * BH);
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      gradX[`weight_ih${sfx}`] = g.dWIh as Float32Array;
      gradX[`weight_hh${sfx}`] = g.dWHh as Float32Array;
      if (hasBias) {
        gradX[`bias_ih${sfx}`] = g.dBIh as Float32Array;
        gradX[`bias_hh${sfx}`] = g.dBHh as Float32Array;
      }
    }
    dOut = dIn;
  }
  check('grad.x', dOut, get('grad.x'));
  check('grad.h0', dh0, get('grad.h0'));
  if (lstm) check('grad.c0', dc0, get('grad.c0'));
  for (const [name, ours] of Object.entries(gradX)) check(`grad.${name}`, ours, get(`grad.${name}`));
  expect(maybe('grad.x')).not.toBeNull();
}

const CASES = [...loadCases('torch'), ...loadCases('ort')];

describe.each(backend.availableIsas)('fixtures at isa %s', (isa) => {
  it('finds the fixture files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(13);
  });
  for (const c of CASES) {
    it(c.file, () => {
      backend.setIsa(isa);
      runCase(c);
    });
  }
});
