import { describe, expect, it } from 'vitest';
import { Random } from '@recurrent/core';
import { EchoStateNetwork } from './esn.js';
import { nrmse } from './evaluate.js';
import { RidgeAccumulator } from './ridge.js';
import { RlsReadout } from './rls.js';

describe('RlsReadout', () => {
  it('equals the ridge solution with λ = α (bias penalised) after one pass without forgetting', () => {
    const rng = new Random(1);
    const T = 400;
    const d = 9;
    const no = 2;
    const X = new Float64Array(T * d);
    const Y = new Float64Array(T * no);
    for (let t = 0; t < T; t++) {
      X[t * d] = 1;
      for (let i = 1; i < d; i++) X[t * d + i] = rng.normal() + 0.2 * i;
      for (let o = 0; o < no; o++) Y[t * no + o] = X[t * d + 1] * (o + 1) - X[t * d + 3] + 0.05 * rng.normal();
    }
    const alpha = 0.5;
    const rls = new RlsReadout(d, no, { alpha });
    const prior = new Float64Array(no);
    for (let t = 0; t < T; t++) rls.update(X, t * d, Y, t * no, prior);
    const acc = new RidgeAccumulator(d, no);
    acc.add(X, Y, T);
    const ridge = acc.solve({ ridge: alpha, regularizeBias: true });
    for (let i = 0; i < ridge.length; i++) expect(rls.weights[i]).toBeCloseTo(ridge[i], 9);
  });

  it('converges online on a one-step prediction task (a-priori error falls)', () => {
    const esn = new EchoStateNetwork({ units: 60, inputs: 1, density: 0.1, spectralRadius: 0.9, seed: 3 });
    const s = Float64Array.from({ length: 1201 }, (_, t) => 0.5 * Math.sin(t / 5) * Math.cos(t / 23));
    const errors = esn.trainOnline(s.subarray(0, 1200), s.subarray(1, 1201), { alpha: 1e-3, washout: 50 });
    const mean = (a: Float64Array, i: number, j: number): number => a.subarray(i, j).reduce((p, q) => p + q, 0) / (j - i);
    const early = mean(errors, 50, 150);
    const late = mean(errors, 1100, 1200);
    console.log(`RLS a-priori squared error: steps 50-150 ${early.toExponential(2)}, steps 1100-1200 ${late.toExponential(2)}`);
    expect(late).toBeLessThan(1e-3 * early);
    const s2 = Float64Array.from({ length: 301 }, (_, t) => 0.5 * Math.sin((t + 1200) / 5) * Math.cos((t + 1200) / 23));
    expect(nrmse(esn.run(s2.subarray(0, 300)), s2.subarray(1, 301))).toBeLessThan(1e-2);
  });

  it('FORCE: learns to generate a periodic signal with its own output fed back', () => {
    const target = (t: number): number => 0.5 * Math.sin(t / 6) + 0.25 * Math.sin(t / 3);
    const esn = new EchoStateNetwork({ units: 100, inputs: 0, density: 0.05, spectralRadius: 1.5, leakRate: 0.5, feedbackScaling: 1, seed: 1 });
    const T = 3000;
    const y = Float64Array.from({ length: T }, (_, t) => target(t));
    esn.trainOnline(null, y, { alpha: 1, force: true });
    const generated = esn.generate(300);
    const truth = Float64Array.from({ length: 300 }, (_, t) => target(T + t));
    const err = nrmse(generated, truth);
    console.log(`FORCE generator: closed-loop NRMSE over 300 steps = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(0.03); // measured 3.5e-3
  });

  it('rejects invalid options', () => {
    expect(() => new RlsReadout(3, 1, { alpha: 0 })).toThrow(/alpha must be a finite number in \(0, Infinity\), got 0/);
    expect(() => new RlsReadout(3, 1, { forgetting: 1.5 })).toThrow(/forgetting .* got 1.5/);
  });
});
