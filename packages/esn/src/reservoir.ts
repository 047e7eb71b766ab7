/**
 * The reservoir of an Echo State Network (Jaeger 2001): a sparse random recurrent matrix W
 * rescaled to a chosen spectral radius, an input matrix W_in with per-input scaling and a
 * bias, an optional output-feedback matrix W_fb, and leaky-integrator units (Jaeger et al.
 * 2007):  x(t) = (1 − a) x(t−1) + a f(W x(t−1) + W_in u(t) + b + W_fb y(t−1) + ν(t)).
 */
import { checkCsr, csrFromDense, csrScaled, type CsrMatrix, type FloatArray } from './csr.js';
import { EsnShapeError, checkFinite, checkKeys, checkNonNegativeInteger, checkPositiveInteger, checkRange } from './errors.js';
import { checkDistribution, randomDenseMatrix, randomSparseMatrix, type Precision, type WeightDistribution } from './init.js';
import { BUILTIN_ACTIVATIONS, harvest, type BuiltinActivation } from './kernels.js';
import { Random } from './random.js';
import { spectralRadius } from './spectral-radius.js';

export type Activation = BuiltinActivation | ((x: number) => number);

export interface ReservoirWeights {
  /** Recurrent weights [N, N]: CSR, or dense row-major. Used as given (not rescaled). */
  W?: CsrMatrix | ArrayLike<number>;
  /** Input weights [N, I] row-major. */
  Win?: ArrayLike<number>;
  /** Bias [N]. */
  bias?: ArrayLike<number>;
  /** Feedback weights [N, O] row-major. */
  Wfb?: ArrayLike<number>;
}

export interface ReservoirOptions {
  /** Number of reservoir units N. */
  units: number;
  /** Input width I (0 for a network driven by feedback and bias only). */
  inputs: number;
  /** Output width O (needed for feedback). Default 1. */
  outputs?: number;
  /** Spectral radius of W, > 0 (default 0.9). */
  spectralRadius?: number;
  /** Fraction of non-zero recurrent weights, in (0, 1] (default 0.01; at least one per row). */
  density?: number;
  /** Distribution of the recurrent weights before rescaling (default 'normal'). */
  distribution?: WeightDistribution;
  /** Input scaling: one number for all inputs, or one per input (default 1). */
  inputScaling?: number | readonly number[];
  /** Fraction of non-zero input weights, in (0, 1] (default 1). */
  inputConnectivity?: number;
  /** Distribution of input, bias and feedback weights (default 'uniform', U(−1, 1)). */
  inputDistribution?: WeightDistribution;
  /** Scaling of the bias vector b (default 0: no bias). */
  biasScaling?: number;
  /** Output-feedback scaling: one number or one per output (default 0: no feedback). */
  feedbackScaling?: number | readonly number[];
  /** Fraction of non-zero feedback weights, in (0, 1] (default 1). */
  feedbackConnectivity?: number;
  /** Leak rate a in (0, 1] (default 1: no leak). */
  leakRate?: number;
  /** Unit nonlinearity f (default 'tanh'). */
  activation?: Activation;
  /** Amplitude ν of uniform noise U(−ν, ν) added inside f during training (default 0). */
  stateNoise?: number;
  /** 'float64' (default) or 'float32' storage and arithmetic of the states. */
  precision?: Precision;
  /** Seed of every random draw (default 0). */
  seed?: number;
  /** Explicit matrices, replacing the random ones. */
  weights?: ReservoirWeights;
}

export const RESERVOIR_OPTION_KEYS = [
  'units', 'inputs', 'outputs', 'spectralRadius', 'density', 'distribution', 'inputScaling', 'inputConnectivity',
  'inputDistribution', 'biasScaling', 'feedbackScaling', 'feedbackConnectivity', 'leakRate', 'activation', 'stateNoise',
  'precision', 'seed', 'weights',
] as const;

/** The resolved hyper-parameters of a reservoir. */
export interface ReservoirConfig {
  units: number;
  inputs: number;
  outputs: number;
  spectralRadius: number;
  density: number;
  distribution: WeightDistribution;
  inputScaling: number[];
  inputConnectivity: number;
  inputDistribution: WeightDistribution;
  biasScaling: number;
  feedbackScaling: number[];
  feedbackConnectivity: number;
  leakRate: number;
  activation: Activation;
  stateNoise: number;
  precision: Precision;
  seed: number;
}

export class Reservoir {
  readonly config: ReservoirConfig;
  readonly W: CsrMatrix; // [N, N]
  readonly Win: FloatArray; // [N, I]
  readonly bias: FloatArray; // [N]
  readonly Wfb: FloatArray | null; // [N, O] or null without feedback
  /** Current state x [N]. */
  readonly state: FloatArray;
  private readonly noiseRng: Random;

  constructor(options: ReservoirOptions, where = 'Reservoir') {
    checkKeys(where, options, RESERVOIR_OPTION_KEYS);
    const config = resolveConfig(where, options);
    this.config = config;
    const { units: n, inputs: ni, outputs: no, precision } = config;
    const rng = new Random(config.seed);
    const wRng = rng.fork();
    const inRng = rng.fork();
    const biasRng = rng.fork();
    const fbRng = rng.fork();
    this.noiseRng = rng.fork();
    const given = options.weights ?? {};
    checkKeys(`${where}: weights`, given, ['W', 'Win', 'bias', 'Wfb']);

    if (given.W !== undefined) {
      this.W = givenRecurrent(where, given.W, n, precision);
    } else {
      const raw = randomSparseMatrix(n, config.density, config.distribution, wRng, 'float64');
      const rho = spectralRadius(raw, { seed: config.seed });
      if (!(rho > 0)) {
        throw new RangeError(`${where}: the random recurrent matrix has spectral radius ${rho}; use a larger density or another seed`);
      }
      const scaled = csrScaled(raw, config.spectralRadius / rho);
      this.W = precision === 'float32' ? { ...scaled, values: Float32Array.from(scaled.values) } : scaled;
    }
    this.Win =
      given.Win !== undefined
        ? givenDense(where, 'weights.Win', given.Win, n, ni, precision)
        : randomDenseMatrix(n, ni, config.inputConnectivity, config.inputDistribution, config.inputScaling, inRng, precision);
    if (given.bias !== undefined) this.bias = givenDense(where, 'weights.bias', given.bias, n, 1, precision);
    else {
      this.bias = precision === 'float32' ? new Float32Array(n) : new Float64Array(n);
      if (config.biasScaling !== 0) {
        const b = randomDenseMatrix(n, 1, 1, config.inputDistribution, [config.biasScaling], biasRng, precision);
        this.bias.set(b);
      }
    }
    const hasFeedback = given.Wfb !== undefined || config.feedbackScaling.some((s) => s !== 0);
    if (!hasFeedback) this.Wfb = null;
    else if (given.Wfb !== undefined) this.Wfb = givenDense(where, 'weights.Wfb', given.Wfb, n, no, precision);
    else this.Wfb = randomDenseMatrix(n, no, config.feedbackConnectivity, config.inputDistribution, config.feedbackScaling, fbRng, precision);
    this.state = precision === 'float32' ? new Float32Array(n) : new Float64Array(n);
  }

  get units(): number {
    return this.config.units;
  }

  get hasFeedback(): boolean {
    return this.Wfb !== null;
  }

  resetState(): void {
    this.state.fill(0);
  }

  setState(x: ArrayLike<number>): void {
    if (x.length !== this.config.units) {
      throw new EsnShapeError(`Reservoir.setState: state has length ${x.length}, expected units = ${this.config.units}`);
    }
    checkFinite('Reservoir.setState', 'state', x);
    for (let i = 0; i < x.length; i++) this.state[i] = x[i];
  }

  /**
   * Runs `steps` updates from the current state, writing states [steps, N] and leaving the
   * last one as the current state. inputs [steps, I]; feedback [steps, O] is y(t−1) per step
   * (ignored without W_fb); noise amplitude ν > 0 adds U(−ν, ν) inside f.
   */
  step(steps: number, inputs: FloatArray, feedback: FloatArray | null, states: FloatArray, noise = 0): void {
    const { units: n, inputs: ni, outputs: no } = this.config;
    let noiseBuf: FloatArray | null = null;
    if (noise > 0) {
      noiseBuf = this.config.precision === 'float32' ? new Float32Array(steps * n) : new Float64Array(steps * n); // [steps, N]
      for (let i = 0; i < noiseBuf.length; i++) noiseBuf[i] = noise * (2 * this.noiseRng.uniform() - 1);
    }
    harvest({
      steps,
      units: n,
      W: this.W,
      inputWidth: ni,
      inputs,
      Win: this.Win,
      bias: this.bias,
      feedbackWidth: this.Wfb ? no : 0,
      feedback: this.Wfb ? feedback : null,
      Wfb: this.Wfb,
      noise: noiseBuf,
      leakRate: this.config.leakRate,
      activation: this.config.activation,
      state: this.state,
      states,
    });
  }
}

function scalingList(where: string, name: string, value: number | readonly number[] | undefined, width: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(width).fill(fallback);
  if (typeof value === 'number') {
    checkRange(where, name, value, 0, Infinity, false, true);
    return new Array<number>(width).fill(value);
  }
  if (!Array.isArray(value) || value.length !== width) {
    throw new EsnShapeError(`${where}: ${name} must be a number or an array of ${width} numbers, got ${Array.isArray(value) ? `${value.length} numbers` : typeof value}`);
  }
  value.forEach((v, i) => checkRange(where, `${name}[${i}]`, v, 0, Infinity, false, true));
  return [...value];
}

export function resolveConfig(where: string, o: ReservoirOptions): ReservoirConfig {
  if (o === null || typeof o !== 'object') throw new TypeError(`${where}: options must be an object, got ${o === null ? 'null' : typeof o}`);
  const units = checkPositiveInteger(where, 'units', o.units);
  const inputs = checkNonNegativeInteger(where, 'inputs', o.inputs);
  const outputs = checkPositiveInteger(where, 'outputs', o.outputs ?? 1);
  const activation = o.activation ?? 'tanh';
  if (typeof activation !== 'function' && !BUILTIN_ACTIVATIONS.includes(activation)) {
    throw new RangeError(`${where}: activation must be one of ${BUILTIN_ACTIVATIONS.map((a) => `'${a}'`).join(', ')} or a function, got ${JSON.stringify(activation)}`);
  }
  const precision = o.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32') {
    throw new RangeError(`${where}: precision must be 'float64' or 'float32', got ${JSON.stringify(precision)}`);
  }
  const seed = o.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${String(seed)}`);
  return {
    units,
    inputs,
    outputs,
    spectralRadius: checkRange(where, 'spectralRadius', o.spectralRadius ?? 0.9, 0, Infinity, true, true),
    density: checkRange(where, 'density', o.density ?? 0.01, 0, 1, true, false),
    distribution: checkDistribution(where, o.distribution ?? 'normal'),
    inputScaling: scalingList(where, 'inputScaling', o.inputScaling, inputs, 1),
    inputConnectivity: checkRange(where, 'inputConnectivity', o.inputConnectivity ?? 1, 0, 1, true, false),
    inputDistribution: checkDistribution(where, o.inputDistribution ?? 'uniform'),
    biasScaling: checkRange(where, 'biasScaling', o.biasScaling ?? 0, 0, Infinity, false, true),
    feedbackScaling: scalingList(where, 'feedbackScaling', o.feedbackScaling, outputs, 0),
    feedbackConnectivity: checkRange(where, 'feedbackConnectivity', o.feedbackConnectivity ?? 1, 0, 1, true, false),
    leakRate: checkRange(where, 'leakRate', o.leakRate ?? 1, 0, 1, true, false),
    activation,
    stateNoise: checkRange(where, 'stateNoise', o.stateNoise ?? 0, 0, Infinity, false, true),
    precision,
    seed,
  };
}

function givenRecurrent(where: string, W: CsrMatrix | ArrayLike<number>, n: number, precision: Precision): CsrMatrix {
  if (typeof (W as CsrMatrix).rowStart === 'object') {
    const csr = W as CsrMatrix;
    checkCsr(`${where}: weights.W`, csr);
    if (csr.rows !== n || csr.cols !== n) throw new EsnShapeError(`${where}: weights.W is ${csr.rows}x${csr.cols}, expected ${n}x${n} (units)`);
    const values = precision === 'float32' ? Float32Array.from(csr.values) : Float64Array.from(csr.values);
    return { rows: n, cols: n, rowStart: csr.rowStart.slice(), colIndex: csr.colIndex.slice(), values };
  }
  const dense = W as ArrayLike<number>;
  if (dense.length !== n * n) throw new EsnShapeError(`${where}: weights.W has ${dense.length} values, expected [${n}, ${n}] = ${n * n}`);
  checkFinite(where, 'weights.W', dense);
  return csrFromDense(dense, n, n, precision);
}

function givenDense(where: string, name: string, a: ArrayLike<number>, rows: number, cols: number, precision: Precision): FloatArray {
  if (a.length !== rows * cols) throw new EsnShapeError(`${where}: ${name} has ${a.length} values, expected [${rows}, ${cols}] = ${rows * cols}`);
  checkFinite(where, name, a);
  return precision === 'float32' ? Float32Array.from(a) : Float64Array.from(a);
}
