import type { CellSpec } from '../backend/contract.js';
import { allocFloat, type DType } from '../dtype.js';
import { checkFiniteArray, formatShape, ShapeError } from '../errors.js';
import { fillIdentity, fillOrthogonal, fillPytorchRecurrent, fillXavierUniform } from '../init.js';
import { sequenceOp, type CellParams } from '../ops/recurrent.js';
import { concat, reshape, slice, swapLeadingAxes } from '../ops/shape-ops.js';
import { Random } from '../random.js';
import { dtype, seed } from '../schema/common.js';
import { object } from '../schema/object.js';
import { bool, finite, instance, int, oneOf } from '../schema/primitives.js';
import { parse, type Infer, type Parsed } from '../schema/schema.js';
import { checkTensorSize } from '../schema/tensor-size.js';
import { Tensor } from '../tensor.js';
import { Dropout } from './dropout.js';
import { Module } from './module.js';

/** How the weights start. The default is PyTorch's U(−1/√H, 1/√H) for every parameter. */
export const recurrentInitSchema = object({
  /** weight_ih: 'default' (PyTorch) or 'xavier' (Glorot uniform per gate block). */
  input: oneOf(['default', 'xavier']).default('default'),
  /** weight_hh: 'default', 'orthogonal' (per gate block) or 'identity' (IRNN, Le et al. 2015). */
  recurrent: oneOf(['default', 'orthogonal', 'identity']).default('default'),
  /** Scale of the identity for recurrent: 'identity' (default 1). */
  identityScale: finite().optional(),
  /** Biases: 'default' (PyTorch) or 'zeros'. */
  bias: oneOf(['default', 'zeros']).default('default'),
  /** LSTM only: value given to bias_ih's forget-gate block (bias_hh's is zeroed), e.g. 1 (Gers et al. 2000). */
  forgetBias: finite().optional(),
});
export type RecurrentInit = Infer<typeof recurrentInitSchema>;

/** The fields every recurrent layer takes; RNN, LSTM and GRU add theirs (see their schemas). */
export const recurrentShape = {
  inputSize: int({ min: 1 }),
  hiddenSize: int({ min: 1 }),
  numLayers: int({ min: 1 }).default(1),
  bias: bool().default(true),
  /** Input and output are [B, T, F] instead of [T, B, F]. */
  batchFirst: bool().default(false),
  /** Dropout on the outputs of every layer but the last (never on the recurrent connection). */
  dropout: finite({ min: 0, max: 1, exclusiveMax: true }).default(0),
  bidirectional: bool().default(false),
  dtype: dtype().default('float32'),
  seed: seed().default(0),
  init: recurrentInitSchema.default(() => ({ input: 'default', recurrent: 'default', bias: 'default' }) as const),
  /** Throw on NaN or ±Infinity in inputs and initial states. */
  rejectNonFinite: bool().default(false),
};
export const recurrentOptionsSchema = object(recurrentShape);
export type RecurrentOptions = Infer<typeof recurrentOptionsSchema>;
/** Recurrent options after parsing: defaults filled in. */
export type ParsedRecurrentOptions = Parsed<typeof recurrentOptionsSchema>;

/** The cross-field rules of `init`, shared by the layers' schemas. */
export function initRule(o: ParsedRecurrentOptions, lstm: boolean): string | undefined {
  if (o.init.identityScale !== undefined && o.init.recurrent !== 'identity') {
    return `option 'init.identityScale' applies only with init.recurrent: 'identity', got init.recurrent '${o.init.recurrent}'`;
  }
  if (o.init.forgetBias !== undefined && !lstm) return 'init.forgetBias applies to LSTM only';
  if (o.init.forgetBias !== undefined && !o.bias) return 'init.forgetBias needs bias: true';
  return undefined;
}

/** forwardSequence's second argument. */
export const recurrentStateSchema = object(
  { h0: instance(Tensor).optional(), c0: instance(Tensor).optional() },
  { unsupported: { lengths: 'variable-length batches are not implemented yet; pad the batch and mask the loss' } },
);

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

  /** `options` were parsed by the subclass's schema (see recurrentShape). */
  protected constructor(where: string, options: ParsedRecurrentOptions, cell: CellSpec) {
    super();
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize;
    this.numLayers = options.numLayers;
    this.bias = options.bias;
    this.batchFirst = options.batchFirst;
    this.bidirectional = options.bidirectional;
    this.rejectNonFinite = options.rejectNonFinite;
    this.dropoutP = options.dropout;
    this.cell = cell;
    this.checkSizes(where, options.dtype);
    const rng = new Random(options.seed);
    this.buildParameters(options.dtype, rng, options.init);
    for (let l = 0; l + 1 < this.numLayers; l++) this.dropouts.push(new Dropout(this.dropoutP, rng.nextUint32()));
  }

  /** Every weight fits a typed array (and 8 GiB) before any is allocated. */
  private checkSizes(where: string, dtype: DType): void {
    const H = this.hiddenSize;
    const G = this.gates;
    const bytes = dtype === 'float64' ? 8 : 4;
    const I = this.inputSize;
    checkTensorSize(where, I > H ? 'inputSize' : 'hiddenSize', [G * H, I], bytes, 'weight_ih_l0');
    if (this.numLayers > 1) checkTensorSize(where, 'hiddenSize', [G * H, H * this.numDirections], bytes, 'weight_ih_l1');
    checkTensorSize(where, 'hiddenSize', [G * H, H], bytes, 'weight_hh_l0');
    for (const [name, shape] of this.cellParameterShapes()) checkTensorSize(where, 'hiddenSize', shape, bytes, name);
  }

  /** Shapes of the per-cell extra parameters, for the size check. */
  protected cellParameterShapes(): Array<[string, number[]]> {
    return [];
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

  /** LSTM only (the schemas of the other layers reject init.forgetBias). */
  protected applyForgetBias(_value: number): void {}

  /** Output only, from zero initial states: usable inside Sequential. */
  forward(x: Tensor): Tensor {
    return this.forwardSequence(x).output;
  }

  /** Runs the whole stack over the sequence. */
  forwardSequence(x: Tensor, state: RecurrentState = {}): RecurrentOutput {
    const where = `${this.constructor.name}.forward`;
    parse(`${this.constructor.name}.forwardSequence`, recurrentStateSchema, state);
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
