import { Random } from '@recurrent/core';
import {
  EchoStateNetwork,
  accumulateGramTs,
  csrFromDense,
  harvestTs,
  randomSparseMatrix,
  setEsnKernels,
  type BuiltinActivation,
  type CsrMatrix,
  type HarvestArgs,
} from '@recurrent/esn';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../test/helpers.js';
import { packageRoot } from './binding.js';
import { createEsnKernels } from './esn-kernels.js';

/**
 * The addon's ESN kernels against the TypeScript kernels of @recurrent/esn, at every ISA level:
 * float64 states within 1e-12 (relative to max(1, |x|)) after every step, Gram sums within
 * 1e-12 of the largest entry; float32 states within float32 rounding.
 */

const backend = native();
const kernels = createEsnKernels(backend.binding);
const ISAS = backend.availableIsas;
const ACTIVATIONS: BuiltinActivation[] = ['tanh', 'sigmoid', 'relu', 'identity'];

type Precision = 'float32' | 'float64';
const alloc = (p: Precision, n: number): Float32Array | Float64Array => (p === 'float32' ? new Float32Array(n) : new Float64Array(n));

/** A CSR matrix with rows of different lengths (some empty), so SELL chunks need padding. */
function ragged(n: number, rng: Random, precision: Precision): CsrMatrix {
  const dense = new Float64Array(n * n); // [N, N]
  for (let i = 0; i < n; i++) {
    const p = i % 7 === 3 ? 0 : 0.05 + 0.4 * rng.uniform(); // every 7th row empty
    for (let j = 0; j < n; j++) if (rng.uniform() < p) dense[i * n + j] = (rng.normal() * 0.9) / Math.sqrt(n * p + 1);
  }
  return csrFromDense(dense, n, n, precision);
}

interface Case {
  n: number;
  ni: number;
  no: number;
  T: number;
  noise: boolean;
  feedback: boolean;
  precision: Precision;
  activation: BuiltinActivation;
  W?: CsrMatrix;
}

function makeArgs(c: Case, seed: number): HarvestArgs {
  const rng = new Random(seed);
  const vec = (len: number, scale: number) => {
    const a = alloc(c.precision, len);
    for (let i = 0; i < len; i++) a[i] = scale * (2 * rng.uniform() - 1);
    return a;
  };
  return {
    steps: c.T,
    units: c.n,
    W: c.W ?? ragged(c.n, rng, c.precision),
    inputWidth: c.ni,
    inputs: vec(c.T * c.ni, 1), // [T, I]
    Win: vec(c.n * c.ni, 0.8), // [N, I]
    bias: vec(c.n, 0.3), // [N]
    feedbackWidth: c.feedback ? c.no : 0,
    feedback: c.feedback ? vec(c.T * c.no, 1) : null, // [T, O]
    Wfb: c.feedback ? vec(c.n * c.no, 0.5) : null, // [N, O]
    noise: c.noise ? vec(c.T * c.n, 1e-3) : null, // [T, N]
    leakRate: 0.3,
    activation: c.activation,
    state: vec(c.n, 0.5), // [N]
    states: alloc(c.precision, c.T * c.n), // [T, N]
  };
}

/** Runs both kernels on copies of the same arguments; returns the largest scaled difference. */
function compare(c: Case, seed: number): { statesErr: number; stateErr: number } {
  const ts = makeArgs(c, seed);
  const nat = { ...ts, state: ts.state.slice(), states: ts.states.slice() };
  harvestTs(ts);
  expect(kernels.harvest(nat)).toBe(true);
  const err = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let e = 0;
    for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    return Number.isNaN(e) ? Infinity : e;
  };
  return { statesErr: err(nat.states, ts.states), stateErr: err(nat.state, ts.state) };
}

afterAll(() => {
  backend.setIsa(ISAS[0]);
  setEsnKernels(null);
});

describe.each(ISAS)('ESN kernels at isa %s', (isa) => {
  const use = () => backend.setIsa(isa);

  it('harvest matches the TypeScript kernel for every activation, with inputs, feedback and noise (float64)', () => {
    use();
    for (const activation of ACTIVATIONS) {
      for (const [n, ni, no] of [[1, 1, 1], [13, 2, 3], [37, 1, 1], [64, 0, 2]]) {
        const { statesErr, stateErr } = compare({ n, ni, no, T: 25, noise: true, feedback: true, precision: 'float64', activation }, n * 31 + ni);
        expect(statesErr, `${activation} n=${n}`).toBeLessThanOrEqual(1e-12);
        expect(stateErr).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('harvest matches for a 1000-unit, 1 %-density reservoir over 300 steps without feedback or noise', () => {
    use();
    const rng = new Random(11);
    const W = randomSparseMatrix(1000, 0.01, 'normal', rng);
    for (let k = 0; k < W.values.length; k++) W.values[k] *= 0.35; // spectral radius ≈ 1
    const { statesErr } = compare({ n: 1000, ni: 1, no: 0, T: 300, noise: false, feedback: false, precision: 'float64', activation: 'tanh', W }, 5);
    expect(statesErr).toBeLessThanOrEqual(1e-12);
  });

  it('float32 storage rounds the state every step like the TypeScript kernel', () => {
    use();
    for (const activation of ACTIVATIONS) {
      const { statesErr } = compare({ n: 29, ni: 2, no: 2, T: 20, noise: true, feedback: true, precision: 'float32', activation }, 3);
      expect(statesErr, activation).toBeLessThanOrEqual(1e-6); // a few float32 ulp: a rounding may fall differently
    }
  });

  it('ignores feedback when W_fb is null, as the TypeScript kernel', () => {
    use();
    const ts = makeArgs({ n: 9, ni: 1, no: 2, T: 4, noise: false, feedback: true, precision: 'float64', activation: 'tanh' }, 8);
    ts.Wfb = null;
    const nat = { ...ts, state: ts.state.slice(), states: ts.states.slice() };
    harvestTs(ts);
    kernels.harvest(nat);
    for (let i = 0; i < ts.states.length; i++) expect(nat.states[i]).toBeCloseTo(ts.states[i], 13);
  });

  it('declines a JavaScript activation function (the TypeScript kernel runs it)', () => {
    use();
    const a = makeArgs({ n: 4, ni: 1, no: 0, T: 2, noise: false, feedback: false, precision: 'float64', activation: 'tanh' }, 1);
    expect(kernels.harvest({ ...a, activation: (x: number) => x })).toBe(false);
  });

  it('accumulateGram adds the upper triangle of XᵀX and XᵀY, leaving the lower triangle alone', () => {
    use();
    const rng = new Random(4);
    for (const [rows, d, no, f32] of [[1, 1, 1, 0], [7, 5, 2, 0], [300, 13, 1, 1], [129, 8, 3, 0], [600, 53, 2, 0], [40, 130, 1, 1]]) {
      const X = alloc(f32 ? 'float32' : 'float64', rows * d);
      for (let i = 0; i < X.length; i++) X[i] = rng.normal();
      const Y = Float64Array.from({ length: rows * no }, () => rng.normal());
      const start = Float64Array.from({ length: d * d }, () => rng.normal()); // accumulates onto this
      const xtyStart = Float64Array.from({ length: d * no }, () => rng.normal());
      const ref = { gram: start.slice(), xty: xtyStart.slice() };
      const ours = { gram: start.slice(), xty: xtyStart.slice() };
      accumulateGramTs({ rows, width: d, outputs: no, X, Y, ...ref });
      expect(kernels.accumulateGram({ rows, width: d, outputs: no, X, Y, ...ours })).toBe(true);
      let scale = 1;
      for (const v of ref.gram) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < i; j++) expect(ours.gram[i * d + j]).toBe(start[i * d + j]);
        for (let j = i; j < d; j++) expect(Math.abs(ours.gram[i * d + j] - ref.gram[i * d + j]) / scale).toBeLessThanOrEqual(1e-12);
        for (let o = 0; o < no; o++) expect(Math.abs(ours.xty[i * no + o] - ref.xty[i * no + o]) / scale).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('accumulateGram with a shift accumulates (X − 1 shiftᵀ), as the TypeScript kernel and as a shifted copy', () => {
    use();
    const rng = new Random(8);
    for (const [rows, d, no] of [[5, 3, 1], [300, 21, 2], [64, 130, 1]]) {
      const X = Float64Array.from({ length: rows * d }, () => 3 + rng.normal()); // [rows, d], far from 0 like reservoir states
      const Y = Float64Array.from({ length: rows * no }, () => rng.normal()); // [rows, no]
      const shift = Float64Array.from({ length: d }, () => 3 + rng.normal()); // [d]
      const shifted = X.map((v, k) => v - shift[k % d]); // [rows, d]
      const ref = { gram: new Float64Array(d * d), xty: new Float64Array(d * no) };
      const copy = { gram: new Float64Array(d * d), xty: new Float64Array(d * no) };
      const ours = { gram: new Float64Array(d * d), xty: new Float64Array(d * no) };
      accumulateGramTs({ rows, width: d, outputs: no, X, Y, shift, ...ref });
      accumulateGramTs({ rows, width: d, outputs: no, X: shifted, Y, ...copy });
      expect(kernels.accumulateGram({ rows, width: d, outputs: no, X, Y, shift, ...ours })).toBe(true);
      let scale = 1;
      for (const v of copy.gram) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) {
          expect(Math.abs(ours.gram[i * d + j] - copy.gram[i * d + j]) / scale).toBeLessThanOrEqual(1e-12);
          expect(Math.abs(ref.gram[i * d + j] - copy.gram[i * d + j]) / scale).toBeLessThanOrEqual(1e-12);
        }
        for (let o = 0; o < no; o++) expect(Math.abs(ours.xty[i * no + o] - copy.xty[i * no + o]) / scale).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('the vector tanh is within 4 ulp of Math.tanh and exact at the special values', () => {
    use();
    const rng = new Random(9);
    const x = new Float64Array(20000); // [n]
    for (let i = 0; i < x.length; i++) x[i] = (rng.uniform() < 0.5 ? -1 : 1) * Math.exp(-40 + 44 * rng.uniform()); // 4e-18 … 2e1
    const y = backend.binding.esnTanh(x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const ref = Math.tanh(x[i]);
      worst = Math.max(worst, Math.abs(y[i] - ref) / (Math.abs(ref) * 2 ** -52));
    }
    expect(worst).toBeLessThanOrEqual(4);
    const special = backend.binding.esnTanh(new Float64Array([0, -0, Infinity, -Infinity, NaN, 25, -700, 1e-310]));
    expect(Array.from(special)).toEqual([0, -0, 1, -1, NaN, 1, -1, 1e-310]);
    expect(Object.is(special[1], -0)).toBe(true);
  });
});

describe('ESN kernels on the thread pool', () => {
  afterAll(() => {
    backend.setThreads(backend.binding.defaultThreads);
    delete process.env.RECURRENT_SPLIT_PATIENCE_US;
  });

  it('split over threads (and its single-thread fallback) gives bit-identical states', () => {
    // 3000 units, 30 non-zeros per row, 40 steps: above the split thresholds of esn.cc
    // (≥ 10⁴ multiply-adds per thread and step, ≥ 4·10⁶ per call).
    const c: Case = { n: 3000, ni: 1, no: 1, T: 40, noise: true, feedback: true, precision: 'float64', activation: 'tanh' };
    const rng = new Random(2);
    c.W = randomSparseMatrix(3000, 0.01, 'uniform', rng);
    const run = (threads: number, patience?: string) => {
      backend.setThreads(threads);
      if (patience === undefined) delete process.env.RECURRENT_SPLIT_PATIENCE_US;
      else process.env.RECURRENT_SPLIT_PATIENCE_US = patience;
      const a = makeArgs(c, 1);
      kernels.harvest(a);
      return a.states;
    };
    const one = run(1);
    expect(Array.from(run(3))).toEqual(Array.from(one));
    expect(Array.from(run(2, '0'))).toEqual(Array.from(one)); // 0: every wait counts as slow
  });
});

describe('ESN kernels wired into @recurrent/esn', () => {
  // The ridge solve amplifies the Gram's rounding differences by up to cond(XᵀX + λI); λ = 1e-4
  // keeps that near 1e6 here, so the outputs agree to ~1e-10.
  it('an EchoStateNetwork fits and predicts the same with native kernels as with TypeScript', () => {
    const u = Float64Array.from({ length: 700 }, (_, t) => Math.sin(t / 7) + 0.3 * Math.sin(t / 3.1)); // [T, 1]
    const run = () => {
      const esn = new EchoStateNetwork({ units: 120, inputs: 1, outputs: 1, density: 0.05, spectralRadius: 0.9, feedbackScaling: 0.1, leakRate: 0.7, ridge: 1e-4, seed: 3 });
      esn.fit(u.subarray(0, 599), u.subarray(1, 600), { washout: 50 });
      return esn.run(u.subarray(600, 699));
    };
    setEsnKernels(null);
    const ts = run();
    setEsnKernels(kernels);
    const nat = run();
    setEsnKernels(null);
    for (let i = 0; i < ts.length; i++) expect(Math.abs(nat[i] - ts[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ts[i])));
  });

  it('follows RECURRENT_ISA in a child process', () => {
    for (const isa of ISAS) {
      const script = `import('./dist/index.js').then((m) => process.stdout.write(m.nativeEsnKernels().name))`;
      const out = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot, env: { ...process.env, RECURRENT_ISA: isa }, encoding: 'utf8' });
      expect(out.stdout).toBe(`native ${isa}`);
    }
  });
});

describe('ESN kernels reject malformed calls with a JavaScript error', () => {
  const good = () => {
    const a = makeArgs({ n: 5, ni: 1, no: 1, T: 3, noise: true, feedback: true, precision: 'float64', activation: 'tanh' }, 2);
    return {
      steps: a.steps, units: a.units, rowStart: a.W.rowStart, colIndex: a.W.colIndex, values: a.W.values, inputWidth: 1,
      inputs: a.inputs, Win: a.Win, bias: a.bias, feedbackWidth: 1, feedback: a.feedback, Wfb: a.Wfb, noise: a.noise,
      leakRate: 0.3, activation: 'tanh', state: a.state, states: a.states,
    };
  };
  const b = backend.binding;

  it('harvest', () => {
    const bad: [string, (g: ReturnType<typeof good>) => unknown, RegExp][] = [
      ['no object', () => (b.esnHarvest as (x?: unknown) => void)(), /expected 1 argument/],
      ['steps', (g) => ({ ...g, steps: -1 }), /steps: expected an integer/],
      ['units', (g) => ({ ...g, units: 2.5 }), /units: expected an integer/],
      ['rowStart type', (g) => ({ ...g, rowStart: new Float64Array(6) }), /rowStart.*expected an Int32Array/],
      ['rowStart length', (g) => ({ ...g, rowStart: new Int32Array(3) }), /rowStart.*expected an Int32Array of length 6/],
      ['rowStart decreasing', (g) => ({ ...g, rowStart: Int32Array.from([0, 2, 1, 1, 1, g.colIndex.length]) }), /non-decreasing/],
      ['rowStart end', (g) => ({ ...g, rowStart: Int32Array.from([0, 0, 0, 0, 0, 0]) }), /must equal the length of colIndex/],
      ['colIndex range', (g) => ({ ...g, colIndex: g.colIndex.map(() => 5) }), /outside \[0, units = 5\)/],
      ['values length', (g) => ({ ...g, values: new Float64Array(g.values.length + 1) }), /values: expected a Float32Array or Float64Array of length/],
      ['inputs dtype', (g) => ({ ...g, inputs: new Int32Array(3) }), /inputs: expected a Float32Array or Float64Array/],
      ['Win length', (g) => ({ ...g, Win: new Float64Array(4) }), /Win: expected .* of length 5 \[5, 1\]/],
      ['noise length', (g) => ({ ...g, noise: new Float64Array(14) }), /noise: expected .* of length 15 \[3, 5\]/],
      ['leakRate', (g) => ({ ...g, leakRate: 0 }), /leakRate must be in \(0, 1\]/],
      ['leakRate NaN', (g) => ({ ...g, leakRate: NaN }), /leakRate must be in \(0, 1\]/],
      ['activation', (g) => ({ ...g, activation: 'softsign' }), /activation must be one of tanh, sigmoid, relu, identity/],
      ['states dtype', (g) => ({ ...g, states: new Float32Array(15) }), /states must have the type of state/],
      ['states aliasing state', (g) => ({ ...g, state: g.states.subarray(0, 5) }), /state and states must not share memory/],
      ['states aliasing inputs', (g) => ({ ...g, inputs: g.states.subarray(0, 3) }), /states and inputs must not share memory/],
      ['shared buffer', (g) => ({ ...g, bias: new Float64Array(new SharedArrayBuffer(40)) }), /SharedArrayBuffer/],
      ['size overflow', (g) => ({ ...g, steps: 2 ** 30, units: 2 ** 30 - 1 }), /RangeError|expected an Int32Array|too large/],
    ];
    for (const [name, make, message] of bad) {
      const call = () => {
        const args = make(good());
        if (typeof args === 'undefined') return;
        b.esnHarvest(args as never);
      };
      expect(call, name).toThrow(message);
    }
    const detached = good();
    structuredClone(detached.bias.buffer, { transfer: [detached.bias.buffer as ArrayBuffer] });
    expect(() => b.esnHarvest(detached)).toThrow(/detached/);
    const ok = good();
    b.esnHarvest(ok); // still works after all of the above
    expect(ok.states.every(Number.isFinite)).toBe(true);
  });

  it('accumulateGram', () => {
    const g = () => ({ rows: 4, width: 3, outputs: 2, X: new Float64Array(12), Y: new Float64Array(8), gram: new Float64Array(9), xty: new Float64Array(6) });
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['rows', { ...g(), rows: 'four' }, /rows: expected a non-negative integer/],
      ['X length', { ...g(), X: new Float64Array(11) }, /X: expected a Float32Array or Float64Array of length 12 \[4, 3\]/],
      ['gram float32', { ...g(), gram: new Float32Array(9) }, /gram: expected a Float64Array of length 9/],
      ['xty length', { ...g(), xty: new Float64Array(3) }, /xty: expected a Float64Array of length 6/],
      ['shift length', { ...g(), shift: new Float64Array(2) }, /shift: expected a Float32Array or Float64Array of length 3/],
    ];
    for (const [name, args, message] of bad) expect(() => b.esnAccumulateGram(args as never), name).toThrow(message);
    const shared = new Float64Array(30);
    expect(() => b.esnAccumulateGram({ ...g(), X: shared.subarray(0, 12), gram: shared.subarray(10, 19) })).toThrow(/gram and X must not share memory/);
    expect(() => b.esnAccumulateGram({ ...g(), shift: shared.subarray(0, 3), gram: shared.subarray(0, 9) })).toThrow(/gram and shift must not share memory/);
    expect(() => b.esnTanh(new Float32Array(2) as never)).toThrow(/expected a Float64Array/);
  });
});
