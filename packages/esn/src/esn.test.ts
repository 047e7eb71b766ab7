import { describe, expect, it } from 'vitest';
import { EchoStateNetwork } from './esn.js';
import { NotFittedError, EsnShapeError } from './errors.js';
import { nrmse } from './evaluate.js';
import { spectralRadius } from './spectral-radius.js';

const sine = (T: number, offset = 0): Float64Array => Float64Array.from({ length: T }, (_, t) => 0.5 * Math.sin((t + offset) / 4));

describe('EchoStateNetwork', () => {
  it('builds W with the requested spectral radius, density and seed', () => {
    const esn = new EchoStateNetwork({ units: 400, inputs: 1, spectralRadius: 0.8, density: 0.02, seed: 3 });
    expect(spectralRadius(esn.reservoir.W, { seed: 9 })).toBeCloseTo(0.8, 8);
    expect(esn.reservoir.W.rowStart[400]).toBe(400 * 8); // round(0.02 · 400) per row
    const again = new EchoStateNetwork({ units: 400, inputs: 1, spectralRadius: 0.8, density: 0.02, seed: 3 });
    expect(again.reservoir.W.values).toEqual(esn.reservoir.W.values);
    expect(again.reservoir.Win).toEqual(esn.reservoir.Win);
    const other = new EchoStateNetwork({ units: 400, inputs: 1, spectralRadius: 0.8, density: 0.02, seed: 4 });
    expect(other.reservoir.W.values).not.toEqual(esn.reservoir.W.values);
  });

  it('learns a sine generator with teacher-forced output feedback and runs it closed loop', () => {
    const esn = new EchoStateNetwork({ units: 100, inputs: 0, outputs: 1, spectralRadius: 0.8, density: 0.1, feedbackScaling: 1, ridge: 1e-8, seed: 1 });
    const series = sine(1300);
    esn.fit(null, series.subarray(0, 1000), { washout: 100 });
    // After fit, lastOutput is the teacher's last value and the state has seen it all.
    expect(esn.lastOutput[0]).toBe(series[999]);
    const generated = esn.generate(300);
    const err = nrmse(generated, series.subarray(1000, 1300));
    console.log(`sine generator: closed-loop NRMSE over 300 steps = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-2);
  });

  it('predicts one step ahead with the input as previous value and generates by feeding outputs back as inputs', () => {
    const esn = new EchoStateNetwork({ units: 100, inputs: 1, spectralRadius: 0.9, density: 0.1, ridge: 1e-9, seed: 2 });
    const s = sine(1401);
    esn.fit(s.subarray(0, 1000), s.subarray(1, 1001), { washout: 100 });
    const oneStep = esn.run(s.subarray(1000, 1200));
    expect(nrmse(oneStep, s.subarray(1001, 1201))).toBeLessThan(1e-4);
    esn.prime(s.subarray(1000, 1199), s.subarray(1001, 1200));
    const free = esn.generate(200);
    const err = nrmse(free, s.subarray(1200, 1400));
    console.log(`sine, inputs fed from outputs: closed-loop NRMSE over 200 steps = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-2);
  });

  it('gives the same outputs for one fit and for a streamed fit in uneven blocks', () => {
    const options = { units: 60, inputs: 1, outputs: 2, density: 0.1, biasScaling: 0.3, seed: 5 } as const;
    const u = Float64Array.from({ length: 700 }, (_, t) => Math.sin(t * 0.05) + 0.3 * Math.cos(t * 0.31));
    const y = new Float64Array(700 * 2);
    for (let t = 1; t < 700; t++) {
      y[2 * t] = u[t - 1];
      y[2 * t + 1] = u[t] * u[t - 1];
    }
    const a = new EchoStateNetwork(options).fit(u, y, { washout: 50 });
    const b = new EchoStateNetwork(options);
    const fitter = b.fitter({ washout: 50 });
    fitter.add(u.subarray(0, 30), y.subarray(0, 60)).add(u.subarray(30, 400), y.subarray(60, 800)).add(u.subarray(400), y.subarray(800));
    fitter.finish();
    expect(fitter.rows).toBe(650);
    // The weights agree to the conditioning of the system; the predictions agree closely.
    for (let i = 0; i < a.readoutWeights!.length; i++) expect(Math.abs(b.readoutWeights![i] - a.readoutWeights![i])).toBeLessThan(1e-6 * (1 + Math.abs(a.readoutWeights![i])));
    const ya = a.run(u.subarray(0, 200));
    const yb = b.run(u.subarray(0, 200));
    for (let i = 0; i < ya.length; i++) expect(yb[i]).toBeCloseTo(ya[i], 7);
  });

  it('accepts explicit matrices and uses them as given', () => {
    // One unit: x(t) = tanh(0.5 x(t−1) + 2 u(t) + 0.1).
    const esn = new EchoStateNetwork({ units: 1, inputs: 1, weights: { W: [0.5], Win: [2], bias: [0.1] } });
    esn.setReadout([0, 0, 1]); // y = x
    const out = esn.run([0.3, -0.2]);
    const x1 = Math.tanh(2 * 0.3 + 0.1);
    const x2 = Math.tanh(0.5 * x1 + 2 * -0.2 + 0.1);
    expect(out[0]).toBeCloseTo(x1, 15);
    expect(out[1]).toBeCloseTo(x2, 15);
  });

  it('runs in float32 with results close to float64', () => {
    const opts = { units: 80, inputs: 1, density: 0.1, seed: 6, ridge: 1e-6 } as const;
    const s = sine(600);
    const a = new EchoStateNetwork(opts).fit(s.subarray(0, 499), s.subarray(1, 500), { washout: 50 });
    const b = new EchoStateNetwork({ ...opts, precision: 'float32' }).fit(s.subarray(0, 499), s.subarray(1, 500), { washout: 50 });
    expect(b.reservoir.state).toBeInstanceOf(Float32Array);
    const ya = a.run(s.subarray(500, 599));
    const yb = b.run(s.subarray(500, 599));
    expect(nrmse(yb, ya)).toBeLessThan(1e-2);
  });

  it('adds reproducible state noise only during training', () => {
    const opts = { units: 50, inputs: 1, density: 0.1, seed: 8, stateNoise: 1e-3 } as const;
    const s = sine(300);
    const a = new EchoStateNetwork(opts).fit(s.subarray(0, 299), s.subarray(1, 300));
    const b = new EchoStateNetwork(opts).fit(s.subarray(0, 299), s.subarray(1, 300));
    const c = new EchoStateNetwork({ ...opts, stateNoise: 0 }).fit(s.subarray(0, 299), s.subarray(1, 300));
    expect(b.readoutWeights).toEqual(a.readoutWeights);
    expect(c.readoutWeights).not.toEqual(a.readoutWeights);
    // run() is noise-free: the same inputs twice from the zero state give the same outputs.
    a.resetState();
    const r1 = a.run(s.subarray(0, 50));
    a.resetState();
    expect(a.run(s.subarray(0, 50))).toEqual(r1);
  });

  describe('bad input', () => {
    const base = { units: 20, inputs: 1 } as const;
    it('rejects hyper-parameters outside their ranges', () => {
      expect(() => new EchoStateNetwork({ ...base, spectralRadius: -0.5 })).toThrow(/spectralRadius must be a finite number in \(0, Infinity\), got -0.5/);
      expect(() => new EchoStateNetwork({ ...base, spectralRadius: NaN })).toThrow(/spectralRadius/);
      expect(() => new EchoStateNetwork({ ...base, density: 0 })).toThrow(/density must be a finite number in \(0, 1\], got 0/);
      expect(() => new EchoStateNetwork({ ...base, density: 1.5 })).toThrow(/density .* got 1.5/);
      expect(() => new EchoStateNetwork({ ...base, leakRate: 0 })).toThrow(/leakRate must be a finite number in \(0, 1\], got 0/);
      expect(() => new EchoStateNetwork({ ...base, leakRate: 2 })).toThrow(/leakRate .* got 2/);
      expect(() => new EchoStateNetwork({ ...base, ridge: -1e-3 })).toThrow(/ridge must be a finite number in \[0, Infinity\), got -0.001/);
      expect(() => new EchoStateNetwork({ ...base, units: 0 })).toThrow(/units must be a positive integer, got 0/);
      expect(() => new EchoStateNetwork({ ...base, inputScaling: [1, 2] })).toThrow(/inputScaling must be a number or an array of 1 numbers, got 2 numbers/);
      expect(() => new EchoStateNetwork({ ...base, distribution: 'cauchy' as never })).toThrow(/distribution must be one of 'uniform', 'normal', 'bimodal', got "cauchy"/);
      expect(() => new EchoStateNetwork({ ...base, activation: 'gelu' as never })).toThrow(/activation must be one of/);
      expect(() => new EchoStateNetwork({ ...base, spectralradius: 1 } as never)).toThrow(/unknown option 'spectralradius'/);
    });

    it('rejects inputs of the wrong width or length and explicit matrices of the wrong shape', () => {
      const esn = new EchoStateNetwork({ ...base, inputs: 2, outputs: 1 });
      expect(() => esn.fit([[1, 2, 3]], [[1]])).toThrow(/inputs row 0 has width 3, expected width 2/);
      expect(() => esn.fit(new Float64Array(5), new Float64Array(2))).toThrow(/inputs has 5 values, not a multiple of the expected width 2/);
      expect(() => esn.fit(new Float64Array(6), new Float64Array(2))).toThrow(/inputs have 3 rows but targets have 2/);
      expect(() => esn.fit(null, new Float64Array(2))).toThrow(/inputs are required: the network has 2 inputs/);
      expect(() => new EchoStateNetwork({ ...base, weights: { Win: [1, 2] } })).toThrow(/weights.Win has 2 values, expected \[20, 1\] = 20/);
      expect(() => new EchoStateNetwork({ units: 2, inputs: 1, weights: { W: [1, 2, 3] } })).toThrow(/weights.W has 3 values, expected \[2, 2\] = 4/);
    });

    it('rejects non-finite inputs and targets without changing the network', () => {
      const esn = new EchoStateNetwork(base);
      esn.fit([0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5], { ridge: 1e-3 });
      const state = Float64Array.from(esn.reservoir.state);
      const readout = Float64Array.from(esn.readoutWeights!);
      expect(() => esn.fit([1, NaN, 3], [1, 2, 3])).toThrow(/inputs has a non-finite value NaN at flat index 1/);
      expect(() => esn.fit([1, 2, 3], [1, Infinity, 3])).toThrow(/targets has a non-finite value Infinity at flat index 1/);
      expect(() => esn.prime([1, 2, NaN], [1, 2, 3])).toThrow(/non-finite/);
      expect(esn.reservoir.state).toEqual(state);
      expect(esn.readoutWeights).toEqual(readout);
    });

    it('refuses to run or generate before the readout is fitted', () => {
      const esn = new EchoStateNetwork(base);
      expect(() => esn.run([1, 2])).toThrow(NotFittedError);
      expect(() => esn.generate(5)).toThrow(/readout is not fitted; call fit\(\)/);
    });

    it('asks for inputs when outputs cannot be fed back as inputs', () => {
      const esn = new EchoStateNetwork({ ...base, inputs: 2, outputs: 1 });
      esn.setReadout(new Float64Array(esn.featureWidth));
      expect(() => esn.generate(3)).toThrow(EsnShapeError);
      expect(() => esn.generate(3)).toThrow(/2 inputs and 1 outputs.*pass inputs \[3, 2\]/);
      expect(esn.generate(3, { inputs: [[0, 0], [1, 1], [2, 2]] })).toHaveLength(3);
    });

    it('explains a washout that leaves no training rows', () => {
      const esn = new EchoStateNetwork(base);
      expect(() => esn.fit([1, 2, 3], [1, 2, 3], { washout: 5 })).toThrow(/no training rows after a washout of 5 steps \(3 steps seen\)/);
    });
  });
});
