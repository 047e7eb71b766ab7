/**
 * Echo State Network (Jaeger 2001; Jaeger & Haas 2004): a fixed random reservoir and a linear
 * readout y(t) = W_out z(t) on the extended state z(t) = [1; u(t); x(t)] (optionally also
 * [y(t−1)]), fitted by ridge regression with teacher forcing of the output feedback.
 */
import type { FloatArray } from './csr.js';
import { EsnShapeError, NotFittedError, checkFinite, checkKeys, checkNonNegativeInteger, checkPositiveInteger, checkRange } from './errors.js';
import { RESERVOIR_OPTION_KEYS, Reservoir, type ReservoirOptions } from './reservoir.js';
import { RidgeAccumulator } from './ridge.js';
import { RlsReadout, type RlsOptions } from './rls.js';
import { toSeries, type Series, type SeriesInput } from './series.js';

export interface EsnOptions extends ReservoirOptions {
  /** Tikhonov regularisation λ ≥ 0 of the readout (default 1e-8). */
  ridge?: number;
  /** Penalise the readout's bias coefficient too (default false; see RidgeAccumulator). */
  regularizeBias?: boolean;
  /** Include the input u(t) in the extended state (default true). */
  readoutInput?: boolean;
  /** Include the previous output y(t−1) in the extended state (default false). */
  readoutFeedback?: boolean;
}

const ESN_OPTION_KEYS = [...RESERVOIR_OPTION_KEYS, 'ridge', 'regularizeBias', 'readoutInput', 'readoutFeedback'] as const;

export interface FitOptions {
  /** Initial steps whose states are not used by the readout (default 0). */
  washout?: number;
  /** Start from the zero state (default true). */
  resetState?: boolean;
  /** Override the network's ridge for this fit. */
  ridge?: number;
}

export interface RunOptions {
  /** Number of steps when the network has no inputs (I = 0). */
  steps?: number;
  /** Teacher outputs [T, O]: feed back y(t−1) = teacher(t−1) instead of the network's own output. */
  teacher?: SeriesInput;
}

export interface GenerateOptions {
  /** External inputs [steps, I], required unless I = 0 or the outputs feed the inputs (I = O). */
  inputs?: SeriesInput;
}

const CHUNK = 256; // steps per harvested block

export class EchoStateNetwork {
  readonly reservoir: Reservoir;
  readonly ridge: number;
  readonly regularizeBias: boolean;
  readonly readoutInput: boolean;
  readonly readoutFeedback: boolean;
  /** Readout W_out [O, D] once fitted. */
  readoutWeights: Float64Array | null = null;
  /** y(t−1): the output fed back at the next step (the teacher's value after a fit). */
  readonly lastOutput: Float64Array; // [O]

  constructor(options: EsnOptions) {
    checkKeys('EchoStateNetwork', options, ESN_OPTION_KEYS);
    const { ridge, regularizeBias, readoutInput, readoutFeedback, ...reservoirOptions } = options;
    this.ridge = checkRange('EchoStateNetwork', 'ridge', ridge ?? 1e-8, 0, Infinity, false, true);
    this.regularizeBias = regularizeBias ?? false;
    this.readoutInput = readoutInput ?? true;
    this.readoutFeedback = readoutFeedback ?? false;
    this.reservoir = new Reservoir(reservoirOptions, 'EchoStateNetwork');
    this.lastOutput = new Float64Array(this.outputs);
  }

  get units(): number {
    return this.reservoir.config.units;
  }
  get inputs(): number {
    return this.reservoir.config.inputs;
  }
  get outputs(): number {
    return this.reservoir.config.outputs;
  }
  get isFitted(): boolean {
    return this.readoutWeights !== null;
  }
  /** Width D of the extended state [1; u; x; (y(t−1))]. */
  get featureWidth(): number {
    return 1 + (this.readoutInput ? this.inputs : 0) + this.units + (this.readoutFeedback ? this.outputs : 0);
  }

  resetState(): void {
    this.reservoir.resetState();
    this.lastOutput.fill(0);
  }

  /** Sets the readout W_out [O, D] directly. */
  setReadout(weights: ArrayLike<number>): void {
    const need = this.outputs * this.featureWidth;
    if (weights.length !== need) {
      throw new EsnShapeError(`EchoStateNetwork.setReadout: got ${weights.length} values, expected [O, D] = [${this.outputs}, ${this.featureWidth}] = ${need}`);
    }
    checkFinite('EchoStateNetwork.setReadout', 'weights', weights);
    this.readoutWeights = Float64Array.from(weights);
  }

  /**
   * Fits the readout on one sequence with teacher forcing: the feedback at step t is
   * targets(t−1). inputs [T, I] (or null when I = 0), targets [T, O].
   */
  fit(inputs: SeriesInput | null, targets: SeriesInput, options: FitOptions = {}): this {
    checkKeys('EchoStateNetwork.fit', options, ['washout', 'resetState', 'ridge']);
    // Validate everything before the state is touched: bad input never changes the network.
    const y = toSeries('EchoStateNetwork.fit', 'targets', targets, this.outputs);
    const u = this.inputSeries('EchoStateNetwork.fit', inputs, y.rows);
    if (options.ridge !== undefined) checkRange('EchoStateNetwork.fit', 'ridge', options.ridge, 0, Infinity, false, true);
    const fitter = this.fitter({ washout: options.washout, resetState: options.resetState });
    fitter.add(this.inputs === 0 ? null : u.data, y.data);
    fitter.finish({ ridge: options.ridge });
    return this;
  }

  /**
   * A streaming fit: `add` may be called many times with consecutive blocks of one sequence
   * (the state carries over); `restart()` begins a new independent sequence (state reset,
   * washout again); `finish()` solves the ridge system. Memory stays O(D² + block·D).
   */
  fitter(options: { washout?: number; resetState?: boolean } = {}): EsnFitter {
    return new EsnFitter(this, checkNonNegativeInteger('EchoStateNetwork.fitter', 'washout', options.washout ?? 0), options.resetState ?? true);
  }

  /**
   * Drives the network over a known segment with teacher forcing, without fitting: inputs
   * [T, I] (null when I = 0), targets [T, O]. Afterwards lastOutput = targets(T−1), so that
   * `generate` continues the segment (the usual warm-up before a closed-loop prediction).
   */
  prime(inputs: SeriesInput | null, targets: SeriesInput, options: { resetState?: boolean } = {}): this {
    checkKeys('EchoStateNetwork.prime', options, ['resetState']);
    const y = toSeries('EchoStateNetwork.prime', 'targets', targets, this.outputs);
    const u = this.inputSeries('EchoStateNetwork.prime', inputs, y.rows);
    if (u.rows !== y.rows) {
      throw new EsnShapeError(`EchoStateNetwork.prime: inputs have ${u.rows} rows but targets have ${y.rows}; expected the same number of steps`);
    }
    if (options.resetState ?? true) this.resetState();
    const buffers = this.buffers(CHUNK);
    for (let t0 = 0; t0 < y.rows; t0 += CHUNK) {
      const b = Math.min(CHUNK, y.rows - t0);
      this.advance(u, t0, b, y, buffers, 0);
      this.setLastOutput(y, t0 + b - 1, null);
    }
    return this;
  }

  /**
   * Trains the readout online by recursive least squares, one step at a time. With
   * `force: false` the feedback is teacher-forced (targets(t−1)); with `force: true` it is the
   * network's own output, as in FORCE learning (Sussillo & Abbott 2009), so the loop learns to
   * stay on the target while running closed. The output fed back is the a-posteriori one
   * (computed with the weights just updated at this step): its error is already small, which
   * in our measurements made closed-loop learning markedly more reliable than feeding back the
   * a-priori output. Starts from the current readout if
   * fitted, else from zero. Returns the a-priori squared error per step [T].
   */
  trainOnline(inputs: SeriesInput | null, targets: SeriesInput, options: RlsOptions & { force?: boolean; washout?: number; resetState?: boolean } = {}): Float64Array {
    checkKeys('EchoStateNetwork.trainOnline', options, ['alpha', 'forgetting', 'force', 'washout', 'resetState']);
    const y = toSeries('EchoStateNetwork.trainOnline', 'targets', targets, this.outputs);
    const u = this.inputSeries('EchoStateNetwork.trainOnline', inputs, y.rows);
    if (u.rows !== y.rows) {
      throw new EsnShapeError(`EchoStateNetwork.trainOnline: inputs have ${u.rows} rows but targets have ${y.rows}; expected the same number of steps`);
    }
    const washout = checkNonNegativeInteger('EchoStateNetwork.trainOnline', 'washout', options.washout ?? 0);
    if (options.resetState ?? true) this.resetState();
    const rls = new RlsReadout(this.featureWidth, this.outputs, { alpha: options.alpha, forgetting: options.forgetting }, this.readoutWeights ?? undefined);
    const force = options.force ?? false;
    const buf = this.buffers(1);
    const prior = new Float64Array(this.outputs); // [O]
    const errors = new Float64Array(y.rows); // [T]
    const noise = this.reservoir.config.stateNoise;
    for (let t = 0; t < y.rows; t++) {
      this.advance(u, t, 1, force ? null : y, buf, noise);
      this.features(u, t, 1, buf);
      if (t < washout) {
        rls.predict(buf.X, 0, prior);
        errors[t] = NaN;
      } else {
        errors[t] = rls.update(buf.X, 0, y.data, t * this.outputs, prior);
        if (force) rls.predict(buf.X, 0, prior); // a-posteriori output, with this step's weights
      }
      for (let o = 0; o < this.outputs; o++) this.lastOutput[o] = force ? prior[o] : y.data[t * this.outputs + o];
    }
    this.readoutWeights = rls.weights;
    return errors;
  }

  /**
   * Extended states [T, D] of a teacher-forced run (from the current state), for evaluating
   * many readouts on the same data (hyper-parameter search).
   */
  extendedStates(inputs: SeriesInput | null, targets: SeriesInput): Float64Array {
    const y = toSeries('EchoStateNetwork.extendedStates', 'targets', targets, this.outputs);
    const u = this.inputSeries('EchoStateNetwork.extendedStates', inputs, y.rows);
    if (u.rows !== y.rows) {
      throw new EsnShapeError(`EchoStateNetwork.extendedStates: inputs have ${u.rows} rows but targets have ${y.rows}; expected the same number of steps`);
    }
    const d = this.featureWidth;
    const out = new Float64Array(y.rows * d); // [T, D]
    const buffers = this.buffers(CHUNK);
    for (let t0 = 0; t0 < y.rows; t0 += CHUNK) {
      const b = Math.min(CHUNK, y.rows - t0);
      this.advance(u, t0, b, y, buffers, 0);
      this.features(u, t0, b, buffers);
      out.set(buffers.X.subarray(0, b * d), t0 * d);
      this.setLastOutput(y, t0 + b - 1, null);
    }
    return out;
  }

  /** Runs the network on inputs [T, I] and returns outputs [T, O]. */
  run(inputs: SeriesInput | null, options: RunOptions = {}): Float64Array {
    checkKeys('EchoStateNetwork.run', options, ['steps', 'teacher']);
    const wOut = this.requireFitted('run');
    const u = this.inputSeries('EchoStateNetwork.run', inputs, options.steps);
    const T = u.rows;
    const teacher = options.teacher !== undefined ? toSeries('EchoStateNetwork.run', 'teacher', options.teacher, this.outputs) : null;
    if (teacher !== null && teacher.rows !== T) {
      throw new EsnShapeError(`EchoStateNetwork.run: teacher has ${teacher.rows} rows, expected ${T} (the number of input steps)`);
    }
    const out = new Float64Array(T * this.outputs); // [T, O]
    const stepwise = (this.reservoir.hasFeedback || this.readoutFeedback) && teacher === null;
    const block = stepwise ? 1 : CHUNK;
    const buffers = this.buffers(block);
    for (let t0 = 0; t0 < T; t0 += block) {
      const b = Math.min(block, T - t0);
      this.advance(u, t0, b, teacher, buffers, 0);
      this.features(u, t0, b, buffers);
      readoutRows(wOut, buffers.X, b, this.featureWidth, this.outputs, out, t0);
      this.setLastOutput(teacher ?? null, t0 + b - 1, out);
    }
    return out;
  }

  /**
   * Closed-loop generation for `steps` steps from the current state: each output is fed back
   * as the next y(t−1), and also as the next input when the network's inputs are its outputs
   * (I = O and no `inputs` given). Returns outputs [steps, O].
   */
  generate(steps: number, options: GenerateOptions = {}): Float64Array {
    checkKeys('EchoStateNetwork.generate', options, ['inputs']);
    checkPositiveInteger('EchoStateNetwork.generate', 'steps', steps);
    const wOut = this.requireFitted('generate');
    const ni = this.inputs;
    const no = this.outputs;
    let external: Series | null = null;
    if (options.inputs !== undefined) {
      external = toSeries('EchoStateNetwork.generate', 'inputs', options.inputs, ni);
      if (external.rows !== steps) throw new EsnShapeError(`EchoStateNetwork.generate: inputs has ${external.rows} rows, expected steps = ${steps}`);
    } else if (ni !== 0 && ni !== no) {
      throw new EsnShapeError(
        `EchoStateNetwork.generate: the network has ${ni} inputs and ${no} outputs, so outputs cannot be fed back as inputs; pass inputs [${steps}, ${ni}]`,
      );
    }
    const out = new Float64Array(steps * no); // [steps, O]
    const buffers = this.buffers(1);
    const u: Series = { data: new Float64Array(ni), rows: 1, width: ni }; // [1, I]
    for (let t = 0; t < steps; t++) {
      if (external !== null) for (let j = 0; j < ni; j++) u.data[j] = external.data[t * ni + j];
      else for (let j = 0; j < ni; j++) u.data[j] = this.lastOutput[j];
      this.advance(u, 0, 1, null, buffers, 0);
      this.features(u, 0, 1, buffers);
      readoutRows(wOut, buffers.X, 1, this.featureWidth, no, out, t);
      for (let o = 0; o < no; o++) {
        const y = out[t * no + o];
        if (!Number.isFinite(y)) throw new RangeError(`EchoStateNetwork.generate: output diverged to ${y} at step ${t}; the readout is unstable (try a larger ridge or state noise during training)`);
        this.lastOutput[o] = y;
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // internals shared with EsnFitter and the online readout

  /** @internal */
  requireFitted(where: string): Float64Array {
    if (this.readoutWeights === null) {
      throw new NotFittedError(`EchoStateNetwork.${where}: the readout is not fitted; call fit() (or setReadout()) first`);
    }
    return this.readoutWeights;
  }

  /** @internal */
  inputSeries(where: string, inputs: SeriesInput | null, steps?: number): Series {
    const ni = this.inputs;
    if (inputs === null || inputs === undefined) {
      if (ni !== 0) throw new EsnShapeError(`${where}: inputs are required: the network has ${ni} inputs (expected [T, ${ni}])`);
      const T = checkPositiveInteger(where, 'steps', steps);
      return { data: new Float64Array(0), rows: T, width: 0 };
    }
    if (ni === 0) throw new EsnShapeError(`${where}: the network has no inputs (inputs: 0); pass null and the number of steps`);
    return toSeries(where, 'inputs', inputs, ni, this.reservoir.config.precision);
  }

  /** @internal */
  buffers(block: number): StepBuffers {
    const { units: n, precision } = this.reservoir.config;
    const alloc = (len: number): FloatArray => (precision === 'float32' ? new Float32Array(len) : new Float64Array(len));
    return {
      states: alloc(block * n), // [block, N]
      feedback: alloc(block * this.outputs), // [block, O] y(t−1) per step
      X: alloc(block * this.featureWidth), // [block, D]
    };
  }

  /**
   * @internal Advances the reservoir over rows t0..t0+b−1 of u. The feedback per step is
   * teacher(t−1) when a teacher is given, else lastOutput (stepwise runs).
   */
  advance(u: Series, t0: number, b: number, teacher: Series | null, buf: StepBuffers, noise: number): void {
    this.fillFeedback(teacher, t0, b, buf);
    const inputs = u.width === 0 ? u.data : u.data.subarray(t0 * u.width, (t0 + b) * u.width);
    this.reservoir.step(b, inputs, buf.feedback, buf.states, noise);
  }

  private fillFeedback(teacher: Series | null, t0: number, b: number, buf: StepBuffers): void {
    const no = this.outputs;
    for (let r = 0; r < b; r++) {
      const t = t0 + r;
      for (let o = 0; o < no; o++) {
        buf.feedback[r * no + o] = teacher !== null && t > 0 ? teacher.data[(t - 1) * no + o] : this.lastOutput[o];
      }
    }
  }

  /** @internal Writes the extended states z = [1; u; x; (y(t−1))] of the block into buf.X [b, D]. */
  features(u: Series, t0: number, b: number, buf: StepBuffers): void {
    const n = this.units;
    const ni = this.readoutInput ? this.inputs : 0;
    const no = this.outputs;
    const d = this.featureWidth;
    const X = buf.X;
    for (let r = 0; r < b; r++) {
      const row = r * d;
      X[row] = 1;
      for (let j = 0; j < ni; j++) X[row + 1 + j] = u.data[(t0 + r) * u.width + j];
      const s = r * n;
      const base = row + 1 + ni;
      for (let i = 0; i < n; i++) X[base + i] = buf.states[s + i];
      if (this.readoutFeedback) {
        for (let o = 0; o < no; o++) X[base + n + o] = buf.feedback[r * no + o];
      }
    }
  }

  /** @internal lastOutput ← teacher(t) if given, else out(t). */
  setLastOutput(teacher: Series | null, t: number, out: Float64Array | null): void {
    const no = this.outputs;
    for (let o = 0; o < no; o++) this.lastOutput[o] = teacher !== null ? teacher.data[t * no + o] : out![t * no + o];
  }
}

export interface StepBuffers {
  states: FloatArray; // [block, N]
  feedback: FloatArray; // [block, O]
  X: FloatArray; // [block, D]
}

/** out[t0 + r] = W_out X[r] for r < b; W_out [O, D], X [b, D], out [T, O]. */
export function readoutRows(wOut: Float64Array, X: FloatArray, b: number, d: number, no: number, out: Float64Array, t0: number): void {
  for (let r = 0; r < b; r++) {
    for (let o = 0; o < no; o++) {
      let s = 0;
      const w = o * d;
      const x = r * d;
      for (let k = 0; k < d; k++) s += wOut[w + k] * X[x + k];
      out[(t0 + r) * no + o] = s;
    }
  }
}

/** Streaming ridge fit of an EchoStateNetwork; see EchoStateNetwork.fitter. */
export class EsnFitter {
  private readonly esn: EchoStateNetwork;
  private readonly washout: number;
  private readonly accumulator: RidgeAccumulator;
  private seen = 0; // steps of the current sequence so far
  private readonly buf: StepBuffers;

  constructor(esn: EchoStateNetwork, washout: number, resetState: boolean) {
    this.esn = esn;
    this.washout = washout;
    this.accumulator = new RidgeAccumulator(esn.featureWidth, esn.outputs, 0);
    this.buf = esn.buffers(CHUNK);
    if (resetState) esn.resetState();
  }

  /** Rows accumulated so far (after washout). */
  get rows(): number {
    return this.accumulator.rows;
  }

  /** Drives the reservoir with inputs [T, I] (null when I = 0) under teacher forcing by targets [T, O]. */
  add(inputs: SeriesInput | null, targets: SeriesInput): this {
    const esn = this.esn;
    const y = toSeries('EchoStateNetwork.fit', 'targets', targets, esn.outputs);
    const u = esn.inputSeries('EchoStateNetwork.fit', inputs, y.rows);
    if (u.rows !== y.rows) {
      throw new EsnShapeError(`EchoStateNetwork.fit: inputs have ${u.rows} rows but targets have ${y.rows}; expected the same number of steps`);
    }
    const noise = esn.reservoir.config.stateNoise;
    const d = esn.featureWidth;
    const no = esn.outputs;
    for (let t0 = 0; t0 < y.rows; t0 += CHUNK) {
      const b = Math.min(CHUNK, y.rows - t0);
      esn.advance(u, t0, b, y, this.buf, noise);
      esn.features(u, t0, b, this.buf);
      const skip = Math.min(b, Math.max(0, this.washout - this.seen));
      if (skip < b) {
        const X = this.buf.X.subarray(skip * d, b * d);
        const Y = y.data.subarray((t0 + skip) * no, (t0 + b) * no);
        this.accumulator.add(X, Y, b - skip);
      }
      this.seen += b;
      esn.setLastOutput(y, t0 + b - 1, null);
    }
    return this;
  }

  /** Starts a new independent sequence: zero state, washout applies again. */
  restart(): this {
    this.esn.resetState();
    this.seen = 0;
    return this;
  }

  /** Solves for W_out and installs it in the network. */
  finish(options: { ridge?: number } = {}): Float64Array {
    if (this.accumulator.rows === 0) {
      throw new EsnShapeError(`EchoStateNetwork.fit: no training rows after a washout of ${this.washout} steps (${this.seen} steps seen); give a longer sequence or a shorter washout`);
    }
    const w = this.accumulator.solve({ ridge: options.ridge ?? this.esn.ridge, regularizeBias: this.esn.regularizeBias });
    this.esn.readoutWeights = w;
    return w;
  }

  /** The accumulated normal equations (for hyper-parameter searches over the ridge). */
  get normalEquations(): RidgeAccumulator {
    return this.accumulator;
  }
}
