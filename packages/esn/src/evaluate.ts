/** Error measures and the closed-loop evaluation used for chaotic time-series prediction. */
import type { EchoStateNetwork } from './esn.js';
import { EsnShapeError, checkPositiveInteger } from './errors.js';

/** Normalised root-mean-square error sqrt(mean (y − d)² / var(d)) over all values. */
export function nrmse(predicted: ArrayLike<number>, desired: ArrayLike<number>): number {
  if (predicted.length !== desired.length || desired.length === 0) {
    throw new EsnShapeError(`nrmse: predicted has ${predicted.length} values and desired ${desired.length}; expected the same non-zero length`);
  }
  let mean = 0;
  for (let i = 0; i < desired.length; i++) mean += desired[i];
  mean /= desired.length;
  let v = 0;
  let e = 0;
  for (let i = 0; i < desired.length; i++) {
    v += (desired[i] - mean) ** 2;
    e += (predicted[i] - desired[i]) ** 2;
  }
  return Math.sqrt(e / v);
}

export interface ClosedLoopOptions {
  /** Indices s in the series where free running starts (the first free output predicts series[s]). */
  starts: readonly number[];
  /** Teacher-forced steps before each start (default 500). */
  warmup?: number;
  /** Free-running steps; the error is taken at the last one (default 84). */
  horizon?: number;
  /** Variance that normalises the error (default: the variance of the whole series). */
  variance?: number;
}

export interface ClosedLoopResult {
  /** sqrt(mean over starts of (y(s+h−1) − d(s+h−1))² / σ²), Jaeger & Haas's NRMSE_h. */
  nrmse: number;
  /** log10 of nrmse. */
  log10: number;
  /** Per start: the squared error at the horizon, normalised by σ². */
  normalisedSquaredErrors: number[];
}

/**
 * Closed-loop prediction of a one-output series from many start points: before each start s
 * the network is reset and driven with the true series over `warmup` steps (teacher forcing),
 * then runs freely for `horizon` steps. Works for networks whose input is the previous value
 * (I = O = 1: inputs series[t−1], targets series[t]) and for networks without inputs driven by
 * output feedback (I = 0).
 */
export function closedLoopNrmse(esn: EchoStateNetwork, series: Float64Array, options: ClosedLoopOptions): ClosedLoopResult {
  const warmup = checkPositiveInteger('closedLoopNrmse', 'warmup', options.warmup ?? 500);
  const horizon = checkPositiveInteger('closedLoopNrmse', 'horizon', options.horizon ?? 84);
  if (esn.outputs !== 1 || (esn.inputs !== 0 && esn.inputs !== 1)) {
    throw new EsnShapeError(`closedLoopNrmse: expected a network with 1 output and 0 or 1 input, got ${esn.inputs} inputs and ${esn.outputs} outputs`);
  }
  let variance = options.variance;
  if (variance === undefined) {
    let mean = 0;
    for (let i = 0; i < series.length; i++) mean += series[i];
    mean /= series.length;
    variance = 0;
    for (let i = 0; i < series.length; i++) variance += (series[i] - mean) ** 2;
    variance /= series.length;
  }
  const errors: number[] = [];
  for (const s of options.starts) {
    if (!Number.isInteger(s) || s - warmup - 1 < 0 || s + horizon > series.length) {
      throw new RangeError(`closedLoopNrmse: start ${s} needs series indices ${s - warmup - 1}..${s + horizon - 1}, outside [0, ${series.length})`);
    }
    const targets = series.subarray(s - warmup, s); // d(s−w .. s−1)
    const inputs = esn.inputs === 0 ? null : series.subarray(s - warmup - 1, s - 1); // d(s−w−1 .. s−2)
    esn.prime(inputs, targets);
    const out = esn.generate(horizon);
    const e = out[horizon - 1] - series[s + horizon - 1];
    errors.push((e * e) / variance);
  }
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const value = Math.sqrt(mean);
  return { nrmse: value, log10: Math.log10(value), normalisedSquaredErrors: errors };
}
