import { schema, type FloatArray } from '@recurrent/core';
import { allocFloat, dtypeField, oneRandomSource, randomSourceShape, resolveRandom } from './common.js';

/** [low, high] with finite low ≤ high. */
const range = (low: number, high: number) =>
  schema
    .tuple([schema.finite(), schema.finite()])
    .refine((r) => (r[0] <= r[1] ? undefined : 'a range [low, high] of finite numbers with low ≤ high'))
    .default(() => [low, high]);

/**
 * Noisy sine waves for sequence regression: sequence b is
 *   s_b(t) = A_b · sin(2π f_b t + φ_b),   t = 0, 1, …
 * with f_b (cycles per step), A_b drawn uniformly from their ranges and φ_b from [0, 2π).
 * The input at t is s_b(t) plus Gaussian noise of standard deviation `noiseStd`; the target is
 * the clean value `horizon` steps ahead, s_b(t + horizon).
 */
export const noisySineOptionsSchema = schema.object(
  {
    /** T: steps per sequence. */
    steps: schema.int({ min: 1 }),
    /** B: sequences in the batch. */
    batchSize: schema.int({ min: 1 }),
    /** Frequency range in cycles per step (default [0.01, 0.1]). */
    frequency: range(0.01, 0.1),
    /** Amplitude range (default [0.5, 1.5]). */
    amplitude: range(0.5, 1.5),
    /** Standard deviation of the input noise (default 0.1). */
    noiseStd: schema.finite({ min: 0 }).default(0.1),
    /** Steps ahead the target looks (default 1). */
    horizon: schema.int({ min: 0 }).default(1),
    dtype: dtypeField(),
    ...randomSourceShape,
  },
  { where: oneRandomSource },
);
export type NoisySineOptions = schema.Infer<typeof noisySineOptionsSchema>;

export interface NoisySineBatch {
  inputs: FloatArray; // [T, B, 1]  noisy s_b(t)
  targets: FloatArray; // [T, B, 1]  clean s_b(t + horizon)
  frequencies: Float64Array; // [B]
  amplitudes: Float64Array; // [B]
  phases: Float64Array; // [B]
  steps: number;
  batchSize: number;
}

export function noisySineWaves(options: NoisySineOptions): NoisySineBatch {
  const where = 'noisySineWaves';
  const o = schema.parse(where, noisySineOptionsSchema, options);
  const { steps: T, batchSize: B, noiseStd, horizon } = o;
  const [fLow, fHigh] = o.frequency;
  const [aLow, aHigh] = o.amplitude;
  const inputs = allocFloat(where, 'steps', o.dtype, [T, B, 1]); // [T, B, 1]
  const targets = allocFloat(where, 'steps', o.dtype, [T, B, 1]); // [T, B, 1]
  const rng = resolveRandom(o);
  const frequencies = new Float64Array(B); // [B]
  const amplitudes = new Float64Array(B); // [B]
  const phases = new Float64Array(B); // [B]
  for (let b = 0; b < B; b++) {
    frequencies[b] = rng.uniformRange(fLow, fHigh);
    amplitudes[b] = rng.uniformRange(aLow, aHigh);
    phases[b] = rng.uniformRange(0, 2 * Math.PI);
  }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const wave = (s: number) => amplitudes[b] * Math.sin(2 * Math.PI * frequencies[b] * s + phases[b]);
      inputs[t * B + b] = wave(t) + (noiseStd > 0 ? rng.normal(0, noiseStd) : 0);
      targets[t * B + b] = wave(t + horizon);
    }
  }
  return { inputs, targets, frequencies, amplitudes, phases, steps: T, batchSize: B };
}

export const sineSeriesOptionsSchema = schema.object(
  {
    /** Cycles per step (default 0.05). */
    frequency: schema.finite().default(0.05),
    amplitude: schema.finite().default(1),
    phase: schema.finite().default(0),
    /** Standard deviation of added Gaussian noise (default 0). */
    noiseStd: schema.finite({ min: 0 }).default(0),
    ...randomSourceShape,
  },
  { where: oneRandomSource },
);
export type SineSeriesOptions = schema.Infer<typeof sineSeriesOptionsSchema>;

/** One long series y[t] = A sin(2π f t + φ) + noise, t = 0 … length − 1: a [length] Float64Array. */
export function sineSeries(length: number, options: SineSeriesOptions = {}): Float64Array {
  const where = 'sineSeries';
  schema.parseArgument(where, 'length', schema.int({ min: 1 }), length);
  const { frequency: f, amplitude: a, phase, noiseStd, ...source } = schema.parse(where, sineSeriesOptionsSchema, options);
  const y = allocFloat(where, 'length', 'float64', [length]) as Float64Array; // [length]
  const rng = noiseStd > 0 ? resolveRandom(source) : null;
  for (let t = 0; t < length; t++) y[t] = a * Math.sin(2 * Math.PI * f * t + phase) + (rng === null ? 0 : rng.normal(0, noiseStd));
  return y;
}
