import { describe, expect, it } from 'vitest';
import type { DType, FloatArray } from '../../dtype.js';
import type { CellSpec, SequenceGrads } from '../contract.js';
import { sequenceBackward, sequenceForward } from './sequence.js';
import { castArray, castCase, lstmCell, randomCase, randomUpstream, relativeError } from './sequence-testkit.js';

/**
 * float32 against float64 on a larger random case: the same inputs (float32 values, exact in
 * float64), every output and gradient within 1e-5 (max |a − ref| / max |ref|), the bound the
 * fixtures set for a float32 implementation. Also: keepCache false computes the same outputs.
 */

const DIMS = { T: 24, B: 5, I: 20, H: 32 };

const CELLS: [string, CellSpec][] = [
  ['rnn tanh', { kind: 'rnn', activation: 'tanh' }],
  ['rnn relu', { kind: 'rnn', activation: 'relu' }],
  ['lstm', lstmCell()],
  ['lstm peephole+coupled', lstmCell({ peephole: true, coupled: true })],
  ['lstm fullGateRecurrence+noOutputActivation', lstmCell({ fullGateRecurrence: true, noOutputActivation: true })],
  ['gru resetAfter', { kind: 'gru', resetAfter: true }],
  ['gru reset before', { kind: 'gru', resetAfter: false }],
  ['mgu', { kind: 'mgu' }],
];

const GRAD_KEYS: (keyof SequenceGrads)[] = ['dx', 'dh0', 'dc0', 'dWIh', 'dWHh', 'dBIh', 'dBHh', 'dWPeep', 'dWGateRec'];

function run(args: ReturnType<typeof randomCase>, dtype: DType) {
  const a = castCase(args, dtype);
  const { T, B, H } = DIMS;
  const out = sequenceForward(a);
  const grads = sequenceBackward({
    forward: a,
    cache: out.cache!,
    dy: randomUpstream(T * B * H, 11, dtype),
    dhN: randomUpstream(B * H, 12, dtype),
    dcN: a.cell.kind === 'lstm' ? randomUpstream(B * H, 13, dtype) : null,
  });
  return { out, grads };
}

describe('float32 agrees with float64', () => {
  CELLS.forEach(([name, cell], k) => {
    it(name, () => {
      const args = randomCase(cell, { ...DIMS, bias: true, reverse: k % 2 === 1, seed: 100 + k, scale: 0.3 });
      const r64 = run(args, 'float64');
      const r32 = run(args, 'float32');
      expect(r32.out.y).toBeInstanceOf(Float32Array);
      expect(r32.grads.dWIh).toBeInstanceOf(Float32Array);
      expect(r64.grads.dWIh).toBeInstanceOf(Float64Array);
      const pairs: [string, FloatArray | null, FloatArray | null][] = [
        ['y', r32.out.y, r64.out.y],
        ['hN', r32.out.hN, r64.out.hN],
        ['cN', r32.out.cN, r64.out.cN],
        ...GRAD_KEYS.map((key) => [key, r32.grads[key], r64.grads[key]] as [string, FloatArray | null, FloatArray | null]),
      ];
      for (const [what, a, b] of pairs) {
        expect(a === null, what).toBe(b === null);
        if (a !== null && b !== null) expect(relativeError(a, b), what).toBeLessThanOrEqual(1e-5);
      }
    });
  });
});

describe('keepCache: false', () => {
  for (const [name, cell] of CELLS) {
    for (const reverse of [false, true]) {
      it(`${name}${reverse ? ', reverse' : ''}: same outputs, no cache`, () => {
        const args = castCase(randomCase(cell, { T: 5, B: 3, I: 4, H: 6, bias: true, reverse, seed: 9 }), 'float32');
        const kept = sequenceForward(args);
        const bare = sequenceForward({ ...args, keepCache: false });
        expect(kept.cache).not.toBeNull();
        expect(bare.cache).toBeNull();
        expect(Array.from(bare.y)).toEqual(Array.from(kept.y));
        expect(Array.from(bare.hN)).toEqual(Array.from(kept.hN));
        expect(bare.cN === null ? null : Array.from(bare.cN)).toEqual(kept.cN === null ? null : Array.from(kept.cN));
      });
    }
  }

  it('reverse: hN is y at t = 0 and forward: hN is y at t = T − 1', () => {
    const args = randomCase(lstmCell(), { T: 3, B: 2, I: 2, H: 3, bias: true, reverse: true, seed: 4 });
    const BH = 6;
    const rev = sequenceForward(args);
    expect(Array.from(rev.hN)).toEqual(Array.from(rev.y.subarray(0, BH)));
    const fwd = sequenceForward({ ...args, reverse: false });
    expect(Array.from(fwd.hN)).toEqual(Array.from(fwd.y.subarray(2 * BH, 3 * BH)));
    // A reversed run equals a forward run over the time-reversed input.
    const xr = castArray(args.x, 'float64');
    for (let t = 0; t < 3; t++) xr.set(args.x.subarray((2 - t) * 4, (3 - t) * 4), t * 4);
    const flipped = sequenceForward({ ...args, x: xr, reverse: false });
    for (let t = 0; t < 3; t++) {
      expect(relativeError(rev.y.subarray(t * BH, (t + 1) * BH), flipped.y.subarray((2 - t) * BH, (3 - t) * BH))).toBe(0);
    }
  });
});

describe('inputs are not modified', () => {
  it('forward and backward leave every argument buffer unchanged', () => {
    const args = randomCase(lstmCell({ peephole: true, fullGateRecurrence: true }), { T: 4, B: 2, I: 3, H: 4, bias: true, reverse: false, seed: 3 });
    const snapshot = JSON.stringify(castCase(args, 'float64'), (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    const dy = randomUpstream(32, 1, 'float64');
    const dyCopy = Array.from(dy);
    const out = sequenceForward(args);
    sequenceBackward({ forward: args, cache: out.cache!, dy, dhN: null, dcN: null });
    expect(JSON.stringify(castCase(args, 'float64'), (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))).toBe(snapshot);
    expect(Array.from(dy)).toEqual(dyCopy);
  });
});
