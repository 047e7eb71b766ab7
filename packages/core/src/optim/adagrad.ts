import type { FloatArray } from '../dtype.js';
import { checkOptionKeys } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkNonNegative, Optimizer, type ParamState } from './optimizer.js';

export interface AdagradOptions {
  /** Default 1e-2. */
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  /** Starting value of the squared-gradient sum, default 0. */
  initialAccumulatorValue?: number;
  /** Default 1e-10. */
  eps?: number;
}

/**
 * Adagrad (Duchi et al. 2011), PyTorch's torch.optim.Adagrad update at per-parameter step t:
 *   g ← ∇ + λ θ
 *   lr_t ← lr / (1 + (t − 1) · lrDecay)
 *   S ← S + g²                                   (S starts at initialAccumulatorValue)
 *   θ ← θ − lr_t · g / (√S + ε)
 */
export class Adagrad extends Optimizer {
  get name(): string {
    return 'Adagrad';
  }
  lrDecay = 0;
  weightDecay = 0;
  initialAccumulatorValue = 0;
  eps = 1e-10;

  constructor(params: readonly Tensor[], options: AdagradOptions = {}) {
    checkOptionKeys('Adagrad', options, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
    super('Adagrad', params, options.lr ?? 1e-2);
    this.setHyperparameters({
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
    });
  }

  protected update(param: Tensor, grad: FloatArray, state: ParamState): void {
    const p = param.data; // θ, param's shape
    const { weightDecay: wd, eps } = this;
    const sum = this.buffer(param, state, 'sum', this.initialAccumulatorValue); // param's shape
    const lrT = this.lr / (1 + (state.step - 1) * this.lrDecay);
    for (let i = 0; i < p.length; i++) {
      const g = grad[i]! + wd * p[i]!;
      sum[i] += g * g;
      p[i] -= (lrT * g) / (Math.sqrt(sum[i]!) + eps);
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { lrDecay: this.lrDecay, weightDecay: this.weightDecay, initialAccumulatorValue: this.initialAccumulatorValue, eps: this.eps };
  }

  protected setHyperparameters(h: Record<string, number | boolean>): void {
    this.lrDecay = checkNonNegative('Adagrad', 'lrDecay', h.lrDecay);
    this.weightDecay = checkNonNegative('Adagrad', 'weightDecay', h.weightDecay);
    this.initialAccumulatorValue = checkNonNegative('Adagrad', 'initialAccumulatorValue', h.initialAccumulatorValue);
    this.eps = checkNonNegative('Adagrad', 'eps', h.eps);
  }
}
