import { describe, expect, it } from 'vitest';
import { gradCheck } from '../autograd/gradcheck.js';
import { recordOn, Tape } from '../autograd/tape.js';
import { dot } from '../ops/elementwise.js';
import { detach } from '../ops/shape-ops.js';
import { add } from '../ops/elementwise.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { GRU } from './gru.js';
import { LSTM, type LSTMOptions } from './lstm.js';
import type { RecurrentLayer } from './recurrent-layer.js';
import { RNN } from './rnn.js';

const rng = new Random(7);
const randn = (shape: number[], scale = 1) => {
  const t = Tensor.zeros(shape, 'float64');
  for (let i = 0; i < t.size; i++) t.data[i] = scale * rng.normal();
  return t;
};
const weightsLike = (t: Tensor) => Float64Array.from({ length: t.size }, () => rng.normal());

/** Σ y⊙wy + Σ hN⊙wh (+ Σ cN⊙wc): a loss touching every output. */
function sequenceLoss(layer: RecurrentLayer, x: Tensor, h0: Tensor, c0: Tensor | undefined, seed: number) {
  const probe = layer.forwardSequence(x, { h0, c0 });
  const wy = weightsLike(probe.output);
  const wh = weightsLike(probe.hN);
  const wc = probe.cN ? weightsLike(probe.cN) : null;
  return () => {
    layer.interLayerDropouts.forEach((d, i) => d.reseed(seed + i));
    const r = layer.forwardSequence(x, { h0, c0 });
    let loss = add(dot(r.output, wy), dot(r.hN, wh));
    if (r.cN && wc) loss = add(loss, dot(r.cN, wc));
    return loss;
  };
}

function checkLayer(layer: RecurrentLayer, T = 4, B = 2) {
  const D = layer.numDirections * layer.numLayers;
  const x = randn([T, B, layer.inputSize]);
  const h0 = randn([D, B, layer.hiddenSize], 0.5);
  const c0 = layer.cell.kind === 'lstm' ? randn([D, B, layer.hiddenSize], 0.5) : undefined;
  const f = sequenceLoss(layer, x, h0, c0, 11);
  const tensors: Array<[string, Tensor]> = [['x', x], ['h0', h0], ...(c0 ? [['c0', c0] as [string, Tensor]] : []), ...layer.namedParameters()];
  const r = gradCheck(f, tensors);
  const worst = r.perTensor.reduce((a, b) => (b.error > a.error ? b : a));
  expect(r.maxError, `worst ${worst.name}: ${worst.error}`).toBeLessThan(1e-6);
  return r.maxError;
}

const stack = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dtype: 'float64' as const, seed: 3 };

describe('stacked, bidirectional layers: float64 central differences', () => {
  it('RNN sigmoid with dropout between layers', () => {
    checkLayer(new RNN({ ...stack, nonlinearity: 'sigmoid', dropout: 0.3 }));
  });
  it('RNN relu (IRNN init) and tanh', () => {
    checkLayer(new RNN({ ...stack, nonlinearity: 'relu', init: { recurrent: 'identity', identityScale: 0.5 } }));
    checkLayer(new RNN({ ...stack, nonlinearity: 'tanh', bias: false }));
  });
  const variants: Array<[string, Partial<LSTMOptions>]> = [
    ['default', {}],
    ['peephole', { peephole: true }],
    ['coupled (CIFG)', { coupled: true }],
    ['coupled + peephole', { coupled: true, peephole: true }],
    ['noInputGate', { noInputGate: true }],
    ['noForgetGate', { noForgetGate: true }],
    ['noOutputGate', { noOutputGate: true }],
    ['noInputActivation', { noInputActivation: true }],
    ['noOutputActivation', { noOutputActivation: true }],
    ['fullGateRecurrence', { fullGateRecurrence: true }],
  ];
  for (const [name, v] of variants) {
    it(`LSTM ${name}, with dropout`, () => {
      checkLayer(new LSTM({ ...stack, ...v, dropout: 0.25, init: { forgetBias: 1 } }));
    });
  }
  it('GRU resetAfter true and false, and minimal', () => {
    checkLayer(new GRU({ ...stack, dropout: 0.2 }));
    checkLayer(new GRU({ ...stack, resetAfter: false }));
    checkLayer(new GRU({ ...stack, minimal: true }));
  });
  it('batch-first input', () => {
    const layer = new LSTM({ ...stack, batchFirst: true });
    const x = randn([2, 5, 3]);
    const w = weightsLike(Tensor.zeros([2, 5, 8]));
    const r = gradCheck(() => dot(layer.forwardSequence(x).output, w), [['x', x], ...layer.namedParameters()]);
    expect(r.maxError).toBeLessThan(1e-6);
  });
});

describe('truncated BPTT', () => {
  it('carries the state across windows and cuts the gradient at the window edge', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4, dtype: 'float64', seed: 5 });
    const x1 = randn([5, 2, 3]);
    const x2 = randn([5, 2, 3]);
    const w = weightsLike(Tensor.zeros([5, 2, 4]));
    // Window 1 without a tape; its final state, detached, starts window 2.
    const first = layer.forwardSequence(x1);
    const h = detach(first.hN);
    const c = detach(first.cN!);
    const truncated = () => dot(layer.forwardSequence(x2, { h0: h, c0: c }).output, w);
    // The truncated gradient is the derivative with the carried state held fixed.
    const r = gradCheck(truncated, layer.namedParameters());
    expect(r.maxError).toBeLessThan(1e-6);
    // And it differs from full BPTT through both windows (the cut is real).
    const truncatedGrad = layer.namedParameters().map(([, p]) => Float64Array.from(p.grad!));
    layer.zeroGrad();
    const tape = new Tape();
    const full = recordOn(tape, () => {
      const a = layer.forwardSequence(x1);
      return dot(layer.forwardSequence(x2, { h0: a.hN, c0: a.cN! }).output, w);
    });
    tape.backward(full);
    const wHh = layer.namedParameters().findIndex(([n]) => n === 'weight_hh_l0');
    const fullGrad = Array.from(layer.namedParameters()[wHh]![1].grad!);
    const diff = fullGrad.reduce((m, g, i) => Math.max(m, Math.abs(g - truncatedGrad[wHh]![i]!)), 0);
    expect(diff).toBeGreaterThan(1e-4);
  });
});
