import { describe, expect, it } from 'vitest';
import { EchoStateNetwork } from './esn.js';
import { closedLoopNrmse } from './evaluate.js';
import { mackeyGlass } from './mackey-glass.js';

describe('mackeyGlass', () => {
  it('integrates to fourth order: halving the step changes the solution by about 1/16 as much', () => {
    const opts = { length: 200, transient: 0, squash: false } as const;
    const coarse = mackeyGlass({ ...opts, step: 0.2 });
    const mid = mackeyGlass({ ...opts, step: 0.1 });
    const fine = mackeyGlass({ ...opts, step: 0.05 });
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < 200; i++) {
      e1 = Math.max(e1, Math.abs(coarse[i] - fine[i]));
      e2 = Math.max(e2, Math.abs(mid[i] - fine[i]));
    }
    console.log(`Mackey-Glass step convergence over 200 time units: |x(0.2)-x(0.05)| ${e1.toExponential(2)}, |x(0.1)-x(0.05)| ${e2.toExponential(2)}`);
    expect(e2).toBeLessThan(1e-6);
    // (0.2^4 − 0.05^4) / (0.1^4 − 0.05^4) = 17: allow a wide band around fourth order.
    expect(e1 / e2).toBeGreaterThan(8);
  });

  it('stays on the chaotic attractor and squashes with tanh(x − 1)', () => {
    const x = mackeyGlass({ length: 3000, squash: false });
    const y = mackeyGlass({ length: 3000 });
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
      expect(y[i]).toBeCloseTo(Math.tanh(x[i] - 1), 15);
    }
    expect(lo).toBeGreaterThan(0.2);
    expect(hi).toBeLessThan(1.5);
    expect(hi - lo).toBeGreaterThan(0.8); // not a fixed point or a small cycle
  });

  it('rejects a delay that is not a multiple of the step', () => {
    expect(() => mackeyGlass({ length: 10, step: 0.3 })).toThrow(/tau \/ step must be an integer, got 17 \/ 0.3/);
    expect(() => mackeyGlass({ length: 0 })).toThrow(/length must be a positive integer, got 0/);
  });
});

describe('Mackey-Glass 84-step closed-loop prediction (small CI version)', () => {
  it('reaches NRMSE84 below 10^-3.3 with 500 units (measured 10^-3.64)', () => {
    // The bench runs the full version (1000 units); this one trains in about a second.
    const train = 6000;
    const series = mackeyGlass({ length: train + 8000 });
    const esn = new EchoStateNetwork({ units: 500, inputs: 1, spectralRadius: 1, density: 0.02, inputScaling: 1, biasScaling: 0.2, ridge: 1e-10, seed: 1 });
    esn.fit(series.subarray(0, train - 1), series.subarray(1, train), { washout: 1000 });
    const starts = Array.from({ length: 50 }, (_, i) => train + 600 + i * 140);
    const result = closedLoopNrmse(esn, series, { starts, warmup: 200, horizon: 84 });
    console.log(`Mackey-Glass CI task: NRMSE84 = 10^${result.log10.toFixed(2)} over ${starts.length} start points`);
    expect(result.log10).toBeLessThan(-3.3);
  });
});
