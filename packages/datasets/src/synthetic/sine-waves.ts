import { allocFloat, checkKeys, positiveInt, resolveRandom, type DType, type FloatArray, type RandomSource } from './common.js';

/**
 * Noisy sine waves for sequence regression: sequence b is
 *   s_b(t) = A_b · sin(2π f_b t + φ_b),   t = 0, 1, …
 * with f_b (cycles per step), A_b drawn uniformly from their ranges and φ_b from [0, 2π).
 * The input at t is s_b(t) plus Gaussian noise of standard deviation `noiseStd`; the target is
 * the clean value `horizon` steps ahead, s_b(t + horizon).
 */
export interface NoisySineOptions extends RandomSource {
  /** T: steps per sequence. */
  steps: number;
  /** B: sequences in the batch. */
  batchSize: number;
  /** Frequency range in cycles per step (default [0.01, 0.1]). */
  frequency?: readonly [number, number];
  /** Amplitude range (default [0.5, 1.5]). */
  amplitude?: readonly [number, number];
  /** Standard deviation of the input noise (default 0.1). */
  noiseStd?: number;
  /** Steps ahead the target looks (default 1). */
  horizon?: number;
  dtype?: DType;
}

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
  checkKeys(where, options, ['steps', 'batchSize', 'frequency', 'amplitude', 'noiseStd', 'horizon', 'dtype', 'seed', 'random']);
  const T = positiveInt(where, 'steps', options.steps);
  const B = positiveInt(where, 'batchSize', options.batchSize);
  const [fLow, fHigh] = range(where, 'frequency', options.frequency ?? [0.01, 0.1]);
  const [aLow, aHigh] = range(where, 'amplitude', options.amplitude ?? [0.5, 1.5]);
  const noiseStd = options.noiseStd ?? 0.1;
  if (!(noiseStd >= 0) || !Number.isFinite(noiseStd)) throw new RangeError(`${where}: noiseStd must be a finite number ≥ 0, got ${String(noiseStd)}`);
  const horizon = positiveInt(where, 'horizon', options.horizon ?? 1, 0);
  const rng = resolveRandom(where, options);
  const frequencies = new Float64Array(B); // [B]
  const amplitudes = new Float64Array(B); // [B]
  const phases = new Float64Array(B); // [B]
  for (let b = 0; b < B; b++) {
    frequencies[b] = rng.uniformRange(fLow, fHigh);
    amplitudes[b] = rng.uniformRange(aLow, aHigh);
    phases[b] = rng.uniformRange(0, 2 * Math.PI);
  }
  const inputs = allocFloat(where, options.dtype, T * B); // [T, B, 1]
  const targets = allocFloat(where, options.dtype, T * B); // [T, B, 1]
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const wave = (s: number) => amplitudes[b] * Math.sin(2 * Math.PI * frequencies[b] * s + phases[b]);
      inputs[t * B + b] = wave(t) + (noiseStd > 0 ? rng.normal(0, noiseStd) : 0);
      targets[t * B + b] = wave(t + horizon);
    }
  }
  return { inputs, targets, frequencies, amplitudes, phases, steps: T, batchSize: B };
}

export interface SineSeriesOptions extends RandomSource {
  /** Cycles per step (default 0.05). */
  frequency?: number;
  amplitude?: number;
  phase?: number;
  /** Standard deviation of added Gaussian noise (default 0). */
  noiseStd?: number;
}

/** One long series y[t] = A sin(2π f t + φ) + noise, t = 0 … length − 1: a [length] Float64Array. */
export function sineSeries(length: number, options: SineSeriesOptions = {}): Float64Array {
  const where = 'sineSeries';
  checkKeys(where, options, ['frequency', 'amplitude', 'phase', 'noiseStd', 'seed', 'random']);
  positiveInt(where, 'length', length);
  const f = finite(where, 'frequency', options.frequency ?? 0.05);
  const a = finite(where, 'amplitude', options.amplitude ?? 1);
  const phase = finite(where, 'phase', options.phase ?? 0);
  const noiseStd = finite(where, 'noiseStd', options.noiseStd ?? 0);
  if (noiseStd < 0) throw new RangeError(`${where}: noiseStd must be ≥ 0, got ${noiseStd}`);
  const rng = noiseStd > 0 ? resolveRandom(where, options) : null;
  const y = new Float64Array(length); // [length]
  for (let t = 0; t < length; t++) y[t] = a * Math.sin(2 * Math.PI * f * t + phase) + (rng === null ? 0 : rng.normal(0, noiseStd));
  return y;
}

function range(where: string, name: string, r: unknown): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || r[0] > r[1]) {
    throw new RangeError(`${where}: ${name} must be [low, high] with finite low ≤ high, got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1]];
}

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}
