import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError } from '../../errors.js';
import type { SequenceBackwardArgs, SequenceForwardArgs } from '../contract.js';
import { sequenceBackward, sequenceForward } from './sequence.js';
import { castCase, lstmCell, randomCase } from './sequence-testkit.js';

const DIMS = { T: 3, B: 2, I: 5, H: 4, bias: true, reverse: false, seed: 1 };

function lstmArgs(flags = {}): SequenceForwardArgs {
  return randomCase(lstmCell(flags), DIMS);
}

describe('sequenceForward rejects inconsistent arguments', () => {
  it('names the buffer, its length and the expected length', () => {
    const a = lstmArgs();
    const bad = { ...a, weights: { ...a.weights, wIh: new Float64Array(70) } };
    expect(() => sequenceForward(bad)).toThrow(ShapeError);
    expect(() => sequenceForward(bad)).toThrow(/weights\.wIh has length 70, expected 80 = \[G\*H, I\]/);
  });

  const cases: [string, (a: SequenceForwardArgs) => SequenceForwardArgs, RegExp][] = [
    ['x', (a) => ({ ...a, x: new Float64Array(29) }), /x has length 29, expected 30/],
    ['wHh', (a) => ({ ...a, weights: { ...a.weights, wHh: new Float64Array(16) } }), /weights\.wHh has length 16, expected 64/],
    ['bIh', (a) => ({ ...a, weights: { ...a.weights, bIh: new Float64Array(4) } }), /weights\.bIh has length 4, expected 16/],
    ['bHh undefined', (a) => ({ ...a, weights: { ...a.weights, bHh: undefined as unknown as null } }), /weights\.bHh is undefined, expected a Float64Array/],
    ['h0', (a) => ({ ...a, h0: new Float64Array(4) }), /h0 has length 4, expected 8/],
    ['c0 missing for lstm', (a) => ({ ...a, c0: null }), /c0 is null, expected a Float64Array \[B, H\]/],
    ['c0 length', (a) => ({ ...a, c0: new Float64Array(9) }), /c0 has length 9, expected 8/],
    ['wPeep without peephole', (a) => ({ ...a, weights: { ...a.weights, wPeep: new Float64Array(12) } }), /weights\.wPeep must be null \(the cell has no peepholes\)/],
    ['wGateRec without FGR', (a) => ({ ...a, weights: { ...a.weights, wGateRec: new Float64Array(144) } }), /weights\.wGateRec must be null/],
    ['mixed dtypes', (a) => ({ ...a, h0: new Float32Array(8) }), /h0 is Float32Array, expected a Float64Array/],
    ['T', (a) => ({ ...a, T: 0 }), /T must be a positive integer, got 0/],
    ['H', (a) => ({ ...a, H: 2.5 }), /H must be a positive integer, got 2.5/],
    ['x type', (a) => ({ ...a, x: [1, 2, 3] as unknown as Float64Array }), /x is Array, expected a Float32Array or Float64Array/],
  ];
  for (const [name, mutate, message] of cases) {
    it(name, () => {
      expect(() => sequenceForward(mutate(lstmArgs()))).toThrow(message);
    });
  }

  it('wPeep required with peephole, wGateRec with fullGateRecurrence', () => {
    const p = lstmArgs({ peephole: true });
    expect(() => sequenceForward({ ...p, weights: { ...p.weights, wPeep: null } })).toThrow(/weights\.wPeep is null, expected a Float64Array \[3, H\]/);
    expect(() => sequenceForward({ ...p, weights: { ...p.weights, wPeep: new Float64Array(8) } })).toThrow(/weights\.wPeep has length 8, expected 12/);
    const r = lstmArgs({ fullGateRecurrence: true });
    expect(() => sequenceForward({ ...r, weights: { ...r.weights, wGateRec: new Float64Array(16) } })).toThrow(/weights\.wGateRec has length 16, expected 144/);
  });

  it('c0 must be null for cells without a cell state', () => {
    const g = randomCase({ kind: 'gru', resetAfter: true }, DIMS);
    expect(() => sequenceForward({ ...g, c0: new Float64Array(8) })).toThrow(/c0 must be null \(a gru cell has no cell state\)/);
    const m = randomCase({ kind: 'mgu' }, DIMS);
    expect(() => sequenceForward({ ...m, weights: { ...m.weights, wIh: new Float64Array(60) } })).toThrow(/weights\.wIh has length 60, expected 40/);
  });

  it('bad cell specs', () => {
    const a = lstmArgs();
    expect(() => sequenceForward({ ...a, cell: { kind: 'rnn', activation: 'gelu' as 'tanh' } })).toThrow(OptionError);
    expect(() => sequenceForward({ ...a, cell: { kind: 'gru', resetAfter: true, minimal: true } as never })).toThrow(
      "sequenceForward: unknown option 'cell.minimal'; expected one of kind, resetAfter",
    );
    expect(() => sequenceForward({ ...a, cell: { kind: 'conv' } as unknown as SequenceForwardArgs['cell'] })).toThrow("sequenceForward: option 'cell.kind' must be one of 'rnn', 'lstm', 'gru', 'mgu', got 'conv' (string)");
    expect(() => sequenceForward({ ...a, cell: lstmCell({ coupled: true, noForgetGate: true }) })).toThrow(/coupled .* cannot be combined with noForgetGate/);
    expect(() => sequenceForward({ ...a, cell: { kind: 'lstm', variant: { peephole: true } as never } })).toThrow("sequenceForward: option 'cell.variant.coupled' must be a boolean, got undefined");
  });
});

describe('sequenceBackward rejects inconsistent arguments', () => {
  const a = lstmArgs();
  const out = sequenceForward(a);
  const ok: SequenceBackwardArgs = { forward: a, cache: out.cache!, dy: null, dhN: null, dcN: null };

  it('accepts the consistent call', () => {
    expect(() => sequenceBackward(ok)).not.toThrow();
  });
  it('upstream gradient lengths', () => {
    expect(() => sequenceBackward({ ...ok, dy: new Float64Array(5) })).toThrow(/dy has length 5, expected 24 = \[T, B, H\]/);
    expect(() => sequenceBackward({ ...ok, dhN: new Float64Array(5) })).toThrow(/dhN has length 5, expected 8/);
    expect(() => sequenceBackward({ ...ok, dcN: new Float32Array(8) })).toThrow(/dcN is Float32Array, expected a Float64Array/);
  });
  it('a missing cache or one from elsewhere', () => {
    expect(() => sequenceBackward({ ...ok, cache: null as never })).toThrow(/cache is null, expected the cache of a forward run with keepCache: true/);
    expect(() => sequenceBackward({ ...ok, cache: { backend: 'native' } })).toThrow(/cache comes from backend 'native'/);
  });
  it('a cache made for another variant, size, dtype or direction', () => {
    const p = lstmArgs({ peephole: true });
    expect(() => sequenceBackward({ ...ok, forward: p })).toThrow(/cache was made for cell lstm, expected lstm\+peephole/);
    const a32 = castCase(a, 'float32');
    expect(() => sequenceBackward({ ...ok, forward: a32 })).toThrow(/cache was made for .* float64.*; expected .* float32/);
    expect(() => sequenceBackward({ ...ok, forward: { ...a, reverse: true } })).toThrow(/reverse=false; expected .*reverse=true/);
  });
  it('dcN must be null for cells without a cell state', () => {
    const g = randomCase({ kind: 'mgu' }, DIMS);
    const o = sequenceForward(g);
    expect(() => sequenceBackward({ forward: g, cache: o.cache!, dy: null, dhN: null, dcN: new Float64Array(8) })).toThrow(/dcN must be null/);
  });
});
