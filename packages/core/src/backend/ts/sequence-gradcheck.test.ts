import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../dtype.js';
import type { CellSpec, SequenceForwardArgs, SequenceGrads } from '../contract.js';
import { sequenceBackward, sequenceForward } from './sequence.js';
import { CELL_CASES, lstmCell, randomCase, randomUpstream } from './sequence-testkit.js';

/**
 * Central differences in float64 against every gradient of the backward kernel, with the loss
 * L = Σ y ⊙ dy + Σ hN ⊙ dhN + Σ cN ⊙ dcN (null upstreams contribute nothing).
 */

// Central differences err by ~ε_mach·|L|/STEP (rounding) + STEP²·|L'''| (truncation); 4e-6 sits
// near the optimum. The smallest gradients here (sigmoid RNN, dh0 reached from dhN alone, ~1e-3)
// are rounding-limited: 2.5e-8 relative at this step, 9e-8 at 1e-6; every other case ≤ 3e-9.
const STEP = 4e-6;
const TOLERANCE = 1e-7;
const DIMS = { T: 4, B: 2, I: 3, H: 4 };

interface Upstream {
  dy: FloatArray | null;
  dhN: FloatArray | null;
  dcN: FloatArray | null;
}

function dot(a: FloatArray, b: FloatArray | null): number {
  if (b === null) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function loss(args: SequenceForwardArgs, up: Upstream): number {
  const r = sequenceForward({ ...args, keepCache: false });
  return dot(r.y, up.dy) + dot(r.hN, up.dhN) + (r.cN === null ? 0 : dot(r.cN, up.dcN));
}

/** Every differentiable buffer of the arguments, paired with its gradient. */
function pairs(args: SequenceForwardArgs, g: SequenceGrads): [string, FloatArray, FloatArray | null][] {
  const w = args.weights;
  const out: [string, FloatArray, FloatArray | null][] = [
    ['dx', args.x, g.dx],
    ['dh0', args.h0, g.dh0],
    ['dWIh', w.wIh, g.dWIh],
    ['dWHh', w.wHh, g.dWHh],
  ];
  if (args.c0 !== null) out.push(['dc0', args.c0, g.dc0]);
  if (w.bIh !== null) out.push(['dBIh', w.bIh, g.dBIh]);
  if (w.bHh !== null) out.push(['dBHh', w.bHh, g.dBHh]);
  if (w.wPeep !== null) out.push(['dWPeep', w.wPeep, g.dWPeep]);
  if (w.wGateRec !== null) out.push(['dWGateRec', w.wGateRec, g.dWGateRec]);
  return out;
}

/** Per gradient: max |numeric − analytic| / max |analytic| (absolute where the gradient is all zero). */
function gradientErrors(args: SequenceForwardArgs, up: Upstream): Record<string, number> {
  const fwd = sequenceForward(args);
  const grads = sequenceBackward({ forward: args, cache: fwd.cache!, ...up });
  const errors: Record<string, number> = {};
  for (const [name, buf, grad] of pairs(args, grads)) {
    expect(grad, name).not.toBeNull();
    expect(grad!.length, name).toBe(buf.length);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < buf.length; i++) {
      const v = buf[i];
      buf[i] = v + STEP;
      const lp = loss(args, up);
      buf[i] = v - STEP;
      const lm = loss(args, up);
      buf[i] = v;
      const numeric = (lp - lm) / (2 * STEP);
      diff = Math.max(diff, Math.abs(numeric - grad![i]));
      scale = Math.max(scale, Math.abs(grad![i]));
    }
    errors[name] = scale === 0 ? diff : diff / scale;
  }
  return errors;
}

/** The pre-activations of an Elman RNN recomputed from its outputs, to keep relu away from its kink. */
function rnnPreActivations(args: SequenceForwardArgs, y: FloatArray): number[] {
  const { T, B, I, H, x, h0, weights, reverse } = args;
  const z: number[] = [];
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        let v = (weights.bIh?.[j] ?? 0) + (weights.bHh?.[j] ?? 0);
        for (let k = 0; k < I; k++) v += weights.wIh[j * I + k] * x[(t * B + b) * I + k];
        for (let k = 0; k < H; k++) v += weights.wHh[j * H + k] * (s === 0 ? h0[b * H + k] : y[(tp * B + b) * H + k]);
        z.push(v);
      }
    }
  }
  return z;
}


/** Which upstream gradients are present: all, and two patterns with some of them null. */
const UPSTREAMS = [
  { name: 'dy, dhN, dcN', dy: true, dhN: true, dcN: true },
  { name: 'dy only', dy: true, dhN: false, dcN: false },
  { name: 'dhN, dcN only', dy: false, dhN: true, dcN: true },
];

describe('sequenceBackward matches central differences (float64)', () => {
  let seed = 1;
  for (const [name, cell] of CELL_CASES) {
    for (const reverse of [false, true]) {
      for (const bias of [true, false]) {
        for (const u of UPSTREAMS) {
          // All upstream patterns with bias; the full one without.
          if (!bias && u !== UPSTREAMS[0]) continue;
          const caseSeed = seed++;
          it(`${name}, ${reverse ? 'reverse' : 'forward'}, ${bias ? 'bias' : 'no bias'}, upstream ${u.name}`, () => {
            const args = randomCase(cell, { ...DIMS, bias, reverse, seed: caseSeed });
            const { T, B, H } = DIMS;
            const up: Upstream = {
              dy: u.dy ? randomUpstream(T * B * H, 1000 + caseSeed, 'float64') : null,
              dhN: u.dhN ? randomUpstream(B * H, 2000 + caseSeed, 'float64') : null,
              dcN: u.dcN && cell.kind === 'lstm' ? randomUpstream(B * H, 3000 + caseSeed, 'float64') : null,
            };
            if (cell.kind === 'rnn' && cell.activation === 'relu') {
              const z = rnnPreActivations(args, sequenceForward(args).y);
              expect(Math.min(...z.map(Math.abs))).toBeGreaterThan(100 * STEP);
            }
            const errors = gradientErrors(args, up);
            for (const [g, e] of Object.entries(errors)) expect(e, g).toBeLessThan(TOLERANCE);
          });
        }
      }
    }
  }
});

describe('gradients of the rows a variant leaves unused are exactly zero', () => {
  const H = DIMS.H;
  const cases: [string, CellSpec, number][] = [
    ['noInputGate', lstmCell({ noInputGate: true }), 0],
    ['noForgetGate', lstmCell({ noForgetGate: true }), 1],
    ['coupled', lstmCell({ coupled: true, peephole: true }), 1],
    ['noOutputGate', lstmCell({ noOutputGate: true }), 3],
  ];
  for (const [name, cell, block] of cases) {
    it(name, () => {
      const args = randomCase(cell, { ...DIMS, bias: true, reverse: false, seed: 77 });
      const fwd = sequenceForward(args);
      const g = sequenceBackward({
        forward: args,
        cache: fwd.cache!,
        dy: randomUpstream(DIMS.T * DIMS.B * H, 5, 'float64'),
        dhN: randomUpstream(DIMS.B * H, 6, 'float64'),
        dcN: randomUpstream(DIMS.B * H, 7, 'float64'),
      });
      const rows = (a: FloatArray, cols: number) => Array.from(a.subarray(block * H * cols, (block + 1) * H * cols));
      expect(rows(g.dWIh, DIMS.I).every((v) => v === 0)).toBe(true);
      expect(rows(g.dWHh, H).every((v) => v === 0)).toBe(true);
      expect(rows(g.dBIh!, 1).every((v) => v === 0)).toBe(true);
      expect(rows(g.dBHh!, 1).every((v) => v === 0)).toBe(true);
      // The other blocks do learn.
      expect(Array.from(g.dWIh).some((v) => v !== 0)).toBe(true);
      if (g.dWPeep !== null && block < 2) {
        expect(Array.from(g.dWPeep.subarray(block * H, (block + 1) * H)).every((v) => v === 0)).toBe(true);
      }
    });
  }
});
