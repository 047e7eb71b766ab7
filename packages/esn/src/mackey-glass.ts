/**
 * The Mackey-Glass delay differential equation (Mackey & Glass 1977)
 *   dx/dt = β x(t−τ) / (1 + x(t−τ)^n) − γ x(t),   β = 0.2, γ = 0.1, n = 10, τ = 17,
 * the benchmark of Jaeger (2001) and Jaeger & Haas (2004).
 *
 * Integration: classical fourth-order Runge–Kutta with step h (default 0.1, τ/h integer);
 * the delayed term at the half steps, x(t − τ + h/2), falls between stored points and is
 * taken from the cubic Hermite interpolant of the stored x and dx/dt, which is fourth-order
 * accurate like the scheme itself. The history for t ≤ 0 is constant (x0). The series is
 * sampled every `sampleStep` time units (default 1) after discarding a transient, then, as in
 * Jaeger & Haas, squashed to tanh(x − 1) unless `squash` is false.
 */
import { checkKeys, checkNonNegativeInteger, checkPositiveInteger, checkRange } from './errors.js';

export interface MackeyGlassOptions {
  /** Number of samples returned. */
  length: number;
  tau?: number;
  beta?: number;
  gamma?: number;
  exponent?: number;
  /** Constant history x(t) for t ≤ 0 (default 1.2). */
  x0?: number;
  /** Integration step h (default 0.1); tau / h must be an integer. */
  step?: number;
  /** Time between samples (default 1); a multiple of the step. */
  sampleStep?: number;
  /** Time units discarded before the first sample (default 1000). */
  transient?: number;
  /** Apply tanh(x − 1) (default true). */
  squash?: boolean;
}

export function mackeyGlass(options: MackeyGlassOptions): Float64Array {
  const where = 'mackeyGlass';
  checkKeys(where, options, ['length', 'tau', 'beta', 'gamma', 'exponent', 'x0', 'step', 'sampleStep', 'transient', 'squash']);
  const length = checkPositiveInteger(where, 'length', options.length);
  const tau = checkRange(where, 'tau', options.tau ?? 17, 0, Infinity, true, true);
  const beta = checkRange(where, 'beta', options.beta ?? 0.2, -Infinity, Infinity, true, true);
  const gamma = checkRange(where, 'gamma', options.gamma ?? 0.1, -Infinity, Infinity, true, true);
  const power = checkRange(where, 'exponent', options.exponent ?? 10, -Infinity, Infinity, true, true);
  const x0 = checkRange(where, 'x0', options.x0 ?? 1.2, -Infinity, Infinity, true, true);
  const h = checkRange(where, 'step', options.step ?? 0.1, 0, Infinity, true, true);
  const sampleStep = checkRange(where, 'sampleStep', options.sampleStep ?? 1, 0, Infinity, true, true);
  const transient = checkRange(where, 'transient', options.transient ?? 1000, 0, Infinity, false, true);
  const delaySteps = Math.round(tau / h);
  const every = Math.round(sampleStep / h);
  const skip = Math.round(transient / h);
  if (Math.abs(delaySteps * h - tau) > 1e-9 * tau) throw new RangeError(`${where}: tau / step must be an integer, got ${tau} / ${h}`);
  if (Math.abs(every * h - sampleStep) > 1e-9 * sampleStep) throw new RangeError(`${where}: sampleStep must be a multiple of step, got ${sampleStep} and ${h}`);
  checkNonNegativeInteger(where, 'transient / step', skip);

  const f = (x: number, xd: number): number => (beta * xd) / (1 + Math.pow(xd, power)) - gamma * x;
  // Ring buffers of the last delaySteps + 1 values of x and dx/dt on the grid.
  const size = delaySteps + 1;
  const xs = new Float64Array(size).fill(x0); // [τ/h + 1]
  const dxs = new Float64Array(size); // [τ/h + 1] dx/dt; the constant history has slope 0
  let head = 0; // index of x(t) in the ring
  // The slope just after t = 0 follows from the equation, the history's slope is 0.
  const totalSteps = skip + (length - 1) * every;
  const out = new Float64Array(length); // [length]
  let x = x0;
  let written = 0;
  if (skip === 0) out[written++] = x;
  for (let k = 1; k <= totalSteps && written < length; k++) {
    // Delayed values at t − τ, t − τ + h/2, t − τ + h (t = (k−1) h).
    const iOld = (head + 1) % size; // x(t − τ)
    const iNext = (head + 2) % size; // x(t − τ + h)
    const a = xs[iOld];
    const c = xs[iNext];
    const da = dxs[iOld];
    // The segment ending at t = 0 belongs to the constant history: its slope there is 0 (the
    // stored slope at t = 0 is the solution's right derivative).
    const dc = k - 1 - delaySteps + 1 === 0 ? 0 : dxs[iNext];
    const mid = 0.5 * (a + c) + (h / 8) * (da - dc); // cubic Hermite at the midpoint
    const k1 = f(x, a);
    const k2 = f(x + 0.5 * h * k1, mid);
    const k3 = f(x + 0.5 * h * k2, mid);
    const k4 = f(x + h * k3, c);
    dxs[head] = k1; // slope at the current grid point, for later interpolation
    x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    head = iOld; // overwrite the oldest slot with x(t + h)
    xs[head] = x;
    if (k >= skip && (k - skip) % every === 0) out[written++] = x;
  }
  if (options.squash ?? true) for (let i = 0; i < length; i++) out[i] = Math.tanh(out[i] - 1);
  return out;
}
