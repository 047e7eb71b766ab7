import type { FloatArray } from '../dtype.js';
import { object } from '../schema/object.js';
import { bool, tuple } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import type { Tensor } from '../tensor.js';
import { epsilon, learningRate, nonNegative, Optimizer, unitInterval, type ParamState } from './optimizer.js';

export const adamOptionsSchema = object({
  /** Default 1e-3. */
  lr: learningRate(1e-3),
  /** (β₁, β₂), default [0.9, 0.999]. */
  betas: tuple([unitInterval(), unitInterval()]).default(() => [0.9, 0.999]),
  /** Default 1e-8. */
  eps: epsilon().default(1e-8),
  /** Adam: L2 term added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: nonNegative().optional(),
  /** Use the running maximum of v (Reddi et al. 2018). Default false. */
  amsgrad: bool().default(false),
});
export type AdamOptions = Infer<typeof adamOptionsSchema>;

/** The hyperparameters in a state dict. */
const adamHyperparameters = object({
  beta1: unitInterval(),
  beta2: unitInterval(),
  eps: epsilon(),
  weightDecay: nonNegative(),
  amsgrad: bool(),
});

/**
 * Adam (Kingma & Ba 2015), PyTorch's torch.optim.Adam update at per-parameter step t:
 *   g ← ∇ + λ θ                          (Adam's L2 weight decay; AdamW instead does θ ← θ (1 − lr λ))
 *   m ← m + (1 − β₁)(g − m)              v ← β₂ v + (1 − β₂) g²
 *   v̂ ← max(v̂, v) with amsgrad, else v̂ = v
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 */
export class Adam extends Optimizer {
  get name(): string {
    return 'Adam';
  }
  beta1 = 0.9;
  beta2 = 0.999;
  eps = 1e-8;
  weightDecay = 0;
  amsgrad = false;
  /** AdamW's decoupled weight decay (Loshchilov & Hutter 2019) instead of an L2 gradient term. */
  protected get decoupled(): boolean {
    return false;
  }

  constructor(params: readonly Tensor[], options: AdamOptions = {}, defaultWeightDecay = 0) {
    const where = new.target === AdamW ? 'AdamW' : 'Adam';
    const o = parse(where, adamOptionsSchema, options);
    super(where, params, o.lr);
    [this.beta1, this.beta2] = o.betas;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay ?? defaultWeightDecay;
    this.amsgrad = o.amsgrad;
  }

  protected update(param: Tensor, grad: FloatArray, state: ParamState): void {
    const p = param.data; // θ, param's shape
    const { beta1, beta2, eps, weightDecay: wd, amsgrad, lr } = this;
    const m = this.buffer(param, state, 'expAvg'); // param's shape
    const v = this.buffer(param, state, 'expAvgSq'); // param's shape
    const vMax = amsgrad ? this.buffer(param, state, 'maxExpAvgSq') : null; // param's shape
    const t = state.step;
    const stepSize = lr / (1 - beta1 ** t);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
    const decay = this.decoupled ? 1 - lr * wd : 1;
    const l2 = this.decoupled ? 0 : wd;
    for (let i = 0; i < p.length; i++) {
      if (decay !== 1) p[i] *= decay;
      const g = grad[i]! + l2 * p[i]!;
      m[i] += (1 - beta1) * (g - m[i]!);
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      let vHat = v[i]!;
      if (vMax !== null) {
        if (vHat > vMax[i]!) vMax[i] = vHat;
        vHat = vMax[i]!;
      }
      p[i] -= (stepSize * m[i]!) / (Math.sqrt(vHat) / bias2Sqrt + eps);
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }

  protected setHyperparameters(h: Record<string, number | boolean>): void {
    Object.assign(this, parse(`${this.name}.loadStateDict: hyperparameters`, adamHyperparameters, h));
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019), PyTorch's torch.optim.AdamW: θ ← θ (1 − lr λ) first, then
 * the Adam update without an L2 term. Default weight decay 1e-2.
 */
export class AdamW extends Adam {
  override get name(): string {
    return 'AdamW';
  }

  protected override get decoupled(): boolean {
    return true;
  }

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super(params, options, 1e-2);
  }
}
