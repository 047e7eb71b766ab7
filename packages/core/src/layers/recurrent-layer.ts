import type { CellSpec } from '../backend/contract.js';
import { allocFloat, type DType } from '../dtype.js';
import { checkFiniteArray, checkOptionKeys, checkPositiveInt, formatShape, OptionError, ShapeError } from '../errors.js';
import { fillIdentity, fillOrthogonal, fillPytorchRecurrent, fillXavierUniform } from '../init.js';
import { sequenceOp, type CellParams } from '../ops/recurrent.js';
import { concat, reshape, slice, swapLeadingAxes } from '../ops/shape-ops.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { Dropout } from './dropout.js';
import { Module } from './module.js';

/** How the weights start. The default is PyTorch's U(−1/√H, 1/√H) for every parameter. */
export interface RecurrentInit {
  /** weight_ih: 'default' (PyTorch) or 'xavier' (Glorot uniform per gate block). */
  input?: 'default' | 'xavier';
  /** weight_hh: 'default', 'orthogonal' (per gate block) or 'identity' (IRNN, Le et al. 2015). */
  recurrent?: 'default' | 'orthogonal' | 'identity';
  /** Scale of the identity for recurrent: 'identity' (default 1). */
  identityScale?: number;
  /** Biases: 'default' (PyTorch) or 'zeros'. */
  bias?: 'default' | 'zeros';
  /** LSTM only: value given to bias_ih's forget-gate block (bias_hh's is zeroed), e.g. 1 (Gers et al. 2000). */
  forgetBias?: number;
}

export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bias?: boolean;
  /** Input and output are [B, T, F] instead of [T, B, F]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last (never on the recurrent connection). */
  dropout?: number;
  bidirectional?: boolean;
  dtype?: DType;
  seed?: number;
  init?: RecurrentInit;
  /** Throw on NaN or ±Infinity in inputs and initial states. */
  rejectNonFinite?: boolean;
}

export const RECURRENT_OPTION_KEYS = [
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bias',
  'batchFirst',
  'dropout',
  'bidirectional',
  'dtype',
  'seed',
  'init',
  'rejectNonFinite',
] as const;

export interface RecurrentState {
  h0?: Tensor; // [L*D, B, H]
  c0?: Tensor; // [L*D, B, H]  (LSTM only)
}

export interface RecurrentOutput {
  output: Tensor; // [T, B, D*H] ([B, T, D*H] when batchFirst)
  hN: Tensor; // [L*D, B, H]
  cN: Tensor | null; // [L*D, B, H]  (LSTM only)
}

/**
 * A stack of recurrent layers, each one or two directions, with PyTorch's parameter names
 * and layouts. Subclasses say which cell runs and add per-cell parameters.
 */
export abstract class RecurrentLayer extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropoutP: number;
  readonly bidirectional: boolean;
  readonly rejectNonFinite: boolean;
  readonly cell: CellSpec;
  /** Per layer, per direction: the tensors the cell kernel needs. */
  protected readonly cells: CellParams[][] = [];
  private readonly dropouts: Dropout[] = [];

  protected constructor(where: string, options: RecurrentOptions, extraKeys: readonly string[], cell: CellSpec) {
    super();
    if (options === null || typeof options !== 'object') throw new OptionError(`${where}: expected an options object, got ${String(options)}`);
    checkOptionKeys(where, options, [...RECURRENT_OPTION_KEYS, ...extraKeys]);
    checkOptionKeys(`${where} init`, options.init, ['input', 'recurrent', 'identityScale', 'bias', 'forgetBias']);
    this.inputSize = checkPositiveInt(where, 'inputSize', options.inputSize);
    this.hiddenSize = checkPositiveInt(where, 'hiddenSize', options.hiddenSize);
    this.numLayers = checkPositiveInt(where, 'numLayers', options.numLayers ?? 1);
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.bidirectional = options.bidirectional ?? false;
    this.rejectNonFinite = options.rejectNonFinite ?? false;
    const p = options.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new OptionError(`${where}: dropout must be in [0, 1), got ${String(p)}`);
    this.dropoutP = p;
    this.cell = cell;
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new OptionError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
    const rng = new Random(options.seed ?? 0);
    this.buildParameters(dtype, rng, options.init ?? {});
    for (let l = 0; l + 1 < this.numLayers; l++) this.dropouts.push(new Dropout(p, rng.nextUint32()));
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Gate blocks G of weight_ih [G*H, I]. */
  protected abstract get gates(): number;

  /** Per-cell extra parameters (peepholes, gate recurrence); none by default. */
  protected addCellParameters(_params: CellParams, _suffix: string, _dtype: DType, _rng: Random): void {}

  private buildParameters(dtype: DType, rng: Random, init: RecurrentInit): void {
    const H = this.hiddenSize;
    const G = this.gates;
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? this.inputSize : H * this.numDirections;
      const perDir: CellParams[] = [];
      for (let d = 0; d < this.numDirections; d++) {
        const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const param = (name: string, shape: number[]) => this.registerParameter(name + suffix, new Tensor(allocFloat(dtype, shape.reduce((a, b) => a * b, 1)), shape));
        const wIh = param('weight_ih', [G * H, inSize]);
        const wHh = param('weight_hh', [G * H, H]);
        const bIh = this.bias ? param('bias_ih', [G * H]) : null;
        const bHh = this.bias ? param('bias_hh', [G * H]) : null;
        // PyTorch order of draws: weight_ih, weight_hh, bias_ih, bias_hh.
        for (const t of [wIh, wHh, bIh, bHh]) if (t) fillPytorchRecurrent(t.data, H, rng);
        if (init.input === 'xavier') fillXavierUniform(wIh.data, inSize, H, rng);
        if (init.recurrent === 'orthogonal') for (let g = 0; g < G; g++) fillOrthogonal(wHh.data, H, H, rng, 1, g * H * H);
        if (init.recurrent === 'identity') for (let g = 0; g < G; g++) fillIdentity(wHh.data, H, init.identityScale ?? 1, g * H * H);
        if (init.bias === 'zeros') for (const t of [bIh, bHh]) t?.data.fill(0);
        const params: CellParams = { wIh, wHh, bIh, bHh, wPeep: null, wGateRec: null };
        this.addCellParameters(params, suffix, dtype, rng);
        perDir.push(params);
      }
      this.cells.push(perDir);
    }
    if (init.forgetBias !== undefined) this.applyForgetBias(init.forgetBias);
  }

  protected applyForgetBias(_value: number): void {
    throw new OptionError(`${this.constructor.name}: init.forgetBias applies to LSTM only`);
  }

  /** Output only, from zero initial states: usable inside Sequential. */
  forward(x: Tensor): Tensor {
    return this.forwardSequence(x).output;
  }

  /** Runs the whole stack over the sequence. */
  forwardSequence(x: Tensor, state: RecurrentState = {}): RecurrentOutput {
    const where = `${this.constructor.name}.forward`;
    this.checkInput(where, x, state);
    const xs = this.batchFirst ? swapLeadingAxes(x) : x; // [T, B, I]
    const B = xs.shape[1]!;
    const LD = this.numLayers * this.numDirections;
    const zeros = () => Tensor.zeros([LD, B, this.hiddenSize], x.dtype);
    const h0 = state.h0 ?? zeros();
    const c0 = this.cell.kind === 'lstm' ? (state.c0 ?? zeros()) : null;
    let input = xs;
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < this.numDirections; d++) {
        const k = l * this.numDirections + d;
        const r = sequenceOp(this.cell, input, this.cells[l]![d]!, sliceState(h0, k, B, this.hiddenSize), c0 && sliceState(c0, k, B, this.hiddenSize), d === 1);
        outs.push(r.y);
        hN.push(r.hN);
        if (r.cN) cN.push(r.cN);
      }
      input = outs.length === 1 ? outs[0]! : concat(outs, 2);
      if (l + 1 < this.numLayers) {
        const dropout = this.dropouts[l]!;
        dropout.training = this.training;
        input = dropout.forward(input);
      }
    }
    const output = this.batchFirst ? swapLeadingAxes(input) : input;
    return {
      output,
      hN: stackStates(hN, B, this.hiddenSize),
      cN: c0 === null ? null : stackStates(cN, B, this.hiddenSize),
    };
  }

  /** The constructor options that shape the weights and the computation (saved with the model). */
  config(): Record<string, unknown> {
    const { kind, ...cell } = this.cell as { kind: string } & Record<string, unknown>;
    const variant = (cell.variant as Record<string, boolean> | undefined) ?? {};
    delete cell.variant;
    return {
      cell: kind,
      ...cell,
      ...variant,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bias: this.bias,
      batchFirst: this.batchFirst,
      dropout: this.dropoutP,
      bidirectional: this.bidirectional,
    };
  }

  /** The inter-layer dropout modules (reseed them for reproducible masks). */
  get interLayerDropouts(): readonly Dropout[] {
    return this.dropouts;
  }

  private checkInput(where: string, x: Tensor, state: RecurrentState): void {
    const I = this.inputSize;
    const layout = this.batchFirst ? '[B, T, ' : '[T, B, ';
    if (!(x instanceof Tensor)) throw new ShapeError(`${where}: x must be a Tensor, got ${typeof x}`);
    if (x.rank !== 3 || x.shape[2] !== I) {
      throw new ShapeError(`${where}: x has shape ${formatShape(x.shape)}, expected ${layout}${I}] (inputSize ${I})`);
    }
    if (x.dtype !== this.dtype) throw new ShapeError(`${where}: x is ${x.dtype}, expected ${this.dtype} (the layer's dtype)`);
    const T = this.batchFirst ? x.shape[1]! : x.shape[0]!;
    const B = this.batchFirst ? x.shape[0]! : x.shape[1]!;
    if (T === 0) throw new ShapeError(`${where}: x has shape ${formatShape(x.shape)}: the sequence is empty, expected at least one step`);
    if (B === 0) throw new ShapeError(`${where}: x has shape ${formatShape(x.shape)}: the batch is empty, expected at least one sequence`);
    const LD = this.numLayers * this.numDirections;
    const expected = [LD, B, this.hiddenSize];
    for (const [name, t] of [['h0', state.h0], ['c0', state.c0]] as const) {
      if (t === undefined) continue;
      if (name === 'c0' && this.cell.kind !== 'lstm') throw new ShapeError(`${where}: c0 was given, but ${this.constructor.name} has no cell state`);
      if (!(t instanceof Tensor) || t.rank !== 3 || t.shape.some((d, i) => d !== expected[i])) {
        const got = t instanceof Tensor ? formatShape(t.shape) : typeof t;
        throw new ShapeError(`${where}: ${name} has shape ${got}, expected ${formatShape(expected)} (numLayers·directions, batch, hiddenSize)`);
      }
      if (t.dtype !== this.dtype) throw new ShapeError(`${where}: ${name} is ${t.dtype}, expected ${this.dtype}`);
      if (this.rejectNonFinite) checkFiniteArray(where, name, t.data);
    }
    if (this.rejectNonFinite) checkFiniteArray(where, 'x', x.data);
  }
}

/** State k of [L*D, B, H] as [B, H], with gradient flowing back. */
function sliceState(s: Tensor, k: number, B: number, H: number): Tensor {
  const one = slice(s, 0, k, k + 1); // [1, B, H]
  return reshape(one, [B, H]);
}

function stackStates(states: Tensor[], B: number, H: number): Tensor {
  return concat(states.map((s) => reshape(s, [1, B, H])), 0);
}
