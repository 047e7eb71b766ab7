import { describe, expect, it } from 'vitest';
import { noisySineWaves, sineSeries } from './sine-waves.js';

describe('noisySineWaves', () => {
  it('targets are the clean wave `horizon` steps ahead; inputs differ from the clean wave by the noise', () => {
    const T = 200;
    const B = 4;
    const w = noisySineWaves({ steps: T, batchSize: B, noiseStd: 0.1, horizon: 3, seed: 7, dtype: 'float64' });
    let sq = 0;
    for (let b = 0; b < B; b++) {
      const clean = (t: number) => w.amplitudes[b] * Math.sin(2 * Math.PI * w.frequencies[b] * t + w.phases[b]);
      for (let t = 0; t < T; t++) {
        expect(w.targets[t * B + b]).toBeCloseTo(clean(t + 3), 12);
        sq += (w.inputs[t * B + b] - clean(t)) ** 2;
      }
    }
    // The noise's sample standard deviation over 800 draws is within 15 % of 0.1.
    expect(Math.sqrt(sq / (T * B))).toBeGreaterThan(0.085);
    expect(Math.sqrt(sq / (T * B))).toBeLessThan(0.115);
  });

  it('without noise the input at t + h equals the target at t', () => {
    const w = noisySineWaves({ steps: 30, batchSize: 2, noiseStd: 0, seed: 1 });
    for (let t = 0; t + 1 < 30; t++) for (let b = 0; b < 2; b++) expect(w.inputs[(t + 1) * 2 + b]).toBe(w.targets[t * 2 + b]);
  });

  it('reproduces with a seed and rejects bad ranges', () => {
    const a = noisySineWaves({ steps: 10, batchSize: 3, seed: 2 });
    const b = noisySineWaves({ steps: 10, batchSize: 3, seed: 2 });
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    expect(() => noisySineWaves({ steps: 10, batchSize: 3, frequency: [0.2, 0.1] })).toThrow("noisySineWaves: option 'frequency' must be a range [low, high] of finite numbers with low ≤ high, got [0.2, 0.1] (array)");
  });
});

describe('sineSeries', () => {
  it('is a plain sine without noise', () => {
    const y = sineSeries(50, { frequency: 0.125, amplitude: 2 });
    expect(y[2]).toBeCloseTo(2, 12); // sin(π/2)
    expect(y[4]).toBeCloseTo(0, 12);
  });
});
