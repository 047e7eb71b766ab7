import type { FloatArray } from '../dtype.js';
import { checkOptionKeys, OptionError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNonNegative, checkUnitInterval, Optimizer, type ParamState } from './optimizer.js';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** (β₁, β₂), default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Adam: L2 term added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the running maximum of v (Reddi et al. 2018). Default false. */
  amsgrad?: boolean;
}

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
    checkOptionKeys(where, options, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);
    super(where, params, options.lr ?? 1e-3);
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw new OptionError(`${where}: betas must be [β₁, β₂], got ${JSON.stringify(betas)}`);
    this.setHyperparameters({
      beta1: betas[0],
      beta2: betas[1],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? defaultWeightDecay,
      amsgrad: options.amsgrad ?? false,
    });
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
    const where = this.name;
    this.beta1 = checkUnitInterval(where, 'beta1', h.beta1);
    this.beta2 = checkUnitInterval(where, 'beta2', h.beta2);
    this.eps = checkNonNegative(where, 'eps', h.eps);
    this.weightDecay = checkNonNegative(where, 'weightDecay', h.weightDecay);
    this.amsgrad = checkBoolean(where, 'amsgrad', h.amsgrad);
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
