import type { FloatArray } from '../dtype.js';
import { object } from '../schema/object.js';
import { bool } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import type { Tensor } from '../tensor.js';
import { epsilon, learningRate, nonNegative, Optimizer, unitInterval, type ParamState } from './optimizer.js';

const hyperShape = {
  /** Smoothing constant α of the squared-gradient average, default 0.99. */
  alpha: unitInterval().default(0.99),
  /** Default 1e-8. */
  eps: epsilon().default(1e-8),
  weightDecay: nonNegative().default(0),
  momentum: nonNegative().default(0),
  /** Normalise by an estimate of the gradient's variance instead of its second moment (Graves 2013). */
  centered: bool().default(false),
};
/** The hyperparameters in a state dict. */
const rmsPropHyperparameters = object(hyperShape);
export const rmsPropOptionsSchema = object({
  /** Default 1e-2. */
  lr: learningRate(1e-2),
  ...hyperShape,
});
export type RmsPropOptions = Infer<typeof rmsPropOptionsSchema>;

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
    const { lr, ...hyper } = parse('RMSProp', rmsPropOptionsSchema, options);
    super('RMSProp', params, lr);
    Object.assign(this, hyper);
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
    Object.assign(this, parse('RMSProp.loadStateDict: hyperparameters', rmsPropHyperparameters, h));
  }
}
