import type { FloatArray } from '../dtype.js';
import { checkOptionKeys } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNonNegative, checkUnitInterval, Optimizer, type ParamState } from './optimizer.js';

export interface RmsPropOptions {
  /** Default 1e-2. */
  lr?: number;
  /** Smoothing constant α of the squared-gradient average, default 0.99. */
  alpha?: number;
  /** Default 1e-8. */
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  /** Normalise by an estimate of the gradient's variance instead of its second moment (Graves 2013). */
  centered?: boolean;
}

/**
 * RMSProp (Tieleman & Hinton 2012), PyTorch's torch.optim.RMSprop update:
 *   g ← ∇ + λ θ
 *   s ← α s + (1 − α) g²
 *   centered: ḡ ← ḡ + (1 − α)(g − ḡ),  d ← √(s − ḡ²) + ε;   else d ← √s + ε
 *   momentum μ > 0: b ← μ b + g / d,  θ ← θ − lr b;          else θ ← θ − lr g / d
 * All buffers start at zero.
 */
export class RMSProp extends Optimizer {
  get name(): string {
    return 'RMSProp';
  }
  alpha = 0.99;
  eps = 1e-8;
  weightDecay = 0;
  momentum = 0;
  centered = false;

  constructor(params: readonly Tensor[], options: RmsPropOptions = {}) {
    checkOptionKeys('RMSProp', options, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered']);
    super('RMSProp', params, options.lr ?? 1e-2);
    this.setHyperparameters({
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
    });
  }

  protected update(param: Tensor, grad: FloatArray, state: ParamState): void {
    const p = param.data; // θ, param's shape
    const { alpha, eps, weightDecay: wd, momentum: mu, centered, lr } = this;
    const s = this.buffer(param, state, 'squareAvg'); // param's shape
    const gAvg = centered ? this.buffer(param, state, 'gradAvg') : null; // param's shape
    const b = mu > 0 ? this.buffer(param, state, 'momentum') : null; // param's shape
    for (let i = 0; i < p.length; i++) {
      const g = grad[i]! + wd * p[i]!;
      s[i] = alpha * s[i]! + (1 - alpha) * g * g;
      let d: number;
      if (gAvg !== null) {
        gAvg[i] += (1 - alpha) * (g - gAvg[i]!);
        d = Math.sqrt(s[i]! - gAvg[i]! * gAvg[i]!) + eps;
      } else {
        d = Math.sqrt(s[i]!) + eps;
      }
      if (b !== null) {
        b[i] = mu * b[i]! + g / d;
        p[i] -= lr * b[i]!;
      } else {
        p[i] -= (lr * g) / d;
      }
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { alpha: this.alpha, eps: this.eps, weightDecay: this.weightDecay, momentum: this.momentum, centered: this.centered };
  }

  protected setHyperparameters(h: Record<string, number | boolean>): void {
    this.alpha = checkUnitInterval('RMSProp', 'alpha', h.alpha);
    this.eps = checkNonNegative('RMSProp', 'eps', h.eps);
    this.weightDecay = checkNonNegative('RMSProp', 'weightDecay', h.weightDecay);
    this.momentum = checkNonNegative('RMSProp', 'momentum', h.momentum);
    this.centered = checkBoolean('RMSProp', 'centered', h.centered);
  }
}
