import { allocFloat, castFloat, type FloatArray } from '../dtype.js';
import { OptionError, ShapeError } from '../errors.js';
import { finite } from '../schema/primitives.js';
import { parseOption } from '../schema/schema.js';
import { Tensor } from '../tensor.js';

/** What an optimizer keeps for one parameter: its own step count and named buffers (param-shaped). */
export interface ParamState {
  step: number;
  buffers: Record<string, FloatArray>;
}

/** An optimizer's exportable state: hyperparameters and per-parameter state, in parameter order. */
export interface OptimizerStateDict {
  optimizer: string;
  hyperparameters: Record<string, number | boolean>;
  /** One entry per parameter; null for a parameter that has not been stepped yet. */
  params: Array<ParamState | null>;
}

/**
 * Base of the optimizers. `step()` updates every parameter that has a gradient (parameters
 * whose `grad` is null are skipped, as in PyTorch), counting steps per parameter.
 */
export abstract class Optimizer {
  /** Name used in state dicts and messages, e.g. 'Adam'. */
  abstract get name(): string;
  readonly params: readonly Tensor[];
  private learningRate: number;
  protected state: Array<ParamState | null>;

  constructor(where: string, params: readonly Tensor[], lr: number) {
    if (!Array.isArray(params) || params.length === 0) {
      throw new OptionError(`${where}: expected a non-empty array of parameter Tensors, got ${Array.isArray(params) ? 'an empty array' : typeof params}`);
    }
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new OptionError(`${where}: params[${i}] is not a Tensor`);
      if (params.indexOf(p) !== i) throw new OptionError(`${where}: params[${i}] (${p.name ?? 'unnamed'}) appears twice`);
    });
    this.params = [...params];
    this.learningRate = parseOption(where, 'lr', nonNegative(), lr);
    this.state = params.map(() => null);
  }

  /** The learning rate of the next step; a schedule may change it between steps. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = parseOption(this.name, 'lr', nonNegative(), value);
  }

  /** One update of every parameter with a gradient. */
  step(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      if (p.grad === null) continue;
      const st = (this.state[i] ??= { step: 0, buffers: {} });
      st.step += 1;
      this.update(p, p.grad, st);
    }
  }

  /**
   * Clears the gradients. `setToNone` (default, as PyTorch) drops them so a parameter that
   * gets no gradient before the next step is skipped; false fills them with zeros instead,
   * keeping the buffers.
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.params) {
      if (setToNone) p.grad = null;
      else p.zeroGrad();
    }
  }

  /** A copy of the optimizer's state. */
  stateDict(): OptimizerStateDict {
    return {
      optimizer: this.name,
      hyperparameters: { lr: this.lr, ...this.hyperparameters() },
      params: this.state.map((st) =>
        st === null ? null : { step: st.step, buffers: Object.fromEntries(Object.entries(st.buffers).map(([k, v]) => [k, v.slice() as FloatArray])) },
      ),
    };
  }

  /** Restores a state dict made by an optimizer of the same kind over parameters of the same sizes. */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || dict.optimizer !== this.name) {
      throw new OptionError(`${where}: expected a state dict of a ${this.name} optimizer, got one of ${JSON.stringify((dict as { optimizer?: unknown } | null)?.optimizer)}`);
    }
    if (!Array.isArray(dict.params) || dict.params.length !== this.params.length) {
      throw new ShapeError(`${where}: state has ${dict.params?.length} parameters, expected ${this.params.length}`);
    }
    const next: Array<ParamState | null> = dict.params.map((st, i) => {
      if (st === null) return null;
      const p = this.params[i]!;
      if (!Number.isInteger(st.step) || st.step < 0) throw new OptionError(`${where}: params[${i}].step is ${st.step}, expected an integer ≥ 0`);
      const buffers: Record<string, FloatArray> = {};
      for (const [k, v] of Object.entries(st.buffers ?? {})) {
        if (v.length !== p.size) throw new ShapeError(`${where}: params[${i}] buffer '${k}' has ${v.length} elements, expected ${p.size}`);
        buffers[k] = castFloat(v, p.dtype);
      }
      return { step: st.step, buffers };
    });
    const { lr, ...rest } = dict.hyperparameters ?? {};
    if (typeof lr !== 'number') throw new OptionError(`${where}: hyperparameters.lr is missing`);
    this.setHyperparameters(rest);
    this.lr = lr;
    this.state = next;
  }

  /** Applies one update to `param` given its gradient and its state (step already counted). */
  protected abstract update(param: Tensor, grad: FloatArray, state: ParamState): void;
  /** Hyperparameters other than lr, for the state dict. */
  protected abstract hyperparameters(): Record<string, number | boolean>;
  /** Restores hyperparameters other than lr (validated). */
  protected abstract setHyperparameters(h: Record<string, number | boolean>): void;

  /** The named buffer of a parameter's state, created filled with `init` on first use. */
  protected buffer(param: Tensor, state: ParamState, name: string, init = 0): FloatArray {
    let b = state.buffers[name];
    if (b === undefined) {
      b = allocFloat(param.dtype, param.size);
      if (init !== 0) b.fill(init);
      state.buffers[name] = b;
    }
    return b;
  }
}

/** Fields the optimizers' schemas share. */
export const nonNegative = () => finite({ min: 0 });
/** A coefficient in [0, 1) (β, α as used by running averages). */
export const unitInterval = () => finite({ min: 0, max: 1, exclusiveMax: true });
/** ε guards a division by √v: 0 would make 0/0 = NaN for a parameter whose gradient is 0. */
export const epsilon = () => finite({ min: 0, exclusiveMin: true });
export const learningRate = (value: number) => nonNegative().default(value);
