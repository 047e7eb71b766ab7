import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/**
 * Base of every layer and model. Parameters are registered under PyTorch's state-dict names
 * (`weight_ih_l0`, `bias_hh_l1_reverse`, …); child modules prefix theirs with `name.`.
 */
export abstract class Module {
  /** Training mode enables dropout. */
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    t.name = name;
    this.params.set(name, t);
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** Every parameter with its full dotted name, in registration order. */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [n, t] of this.params) out.push([prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** The element type of the parameters (all of one module share it). */
  get dtype(): DType {
    const first = this.parameters()[0];
    return first === undefined ? 'float32' : first.dtype;
  }

  train(mode = true): this {
    this.training = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}
