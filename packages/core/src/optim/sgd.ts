import type { FloatArray } from '../dtype.js';
import { checkOptionKeys, OptionError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNonNegative, Optimizer, type ParamState } from './optimizer.js';

export interface SgdOptions {
  /** Default 1e-3 (PyTorch 2.x). */
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, PyTorch's torch.optim.SGD update:
 *   g ← ∇ + λ θ                                   (weight decay λ, an L2 term)
 *   with momentum μ ≠ 0:
 *     b ← g on the first step, else b ← μ b + (1 − dampening) g
 *     g ← g + μ b (Nesterov) or g ← b
 *   θ ← θ − lr g
 */
export class SGD extends Optimizer {
  get name(): string {
    return 'SGD';
  }
  momentum = 0;
  dampening = 0;
  weightDecay = 0;
  nesterov = false;

  constructor(params: readonly Tensor[], options: SgdOptions = {}) {
    checkOptionKeys('SGD', options, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov']);
    super('SGD', params, options.lr ?? 1e-3);
    this.setHyperparameters({
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
    });
  }

  protected update(param: Tensor, grad: FloatArray, state: ParamState): void {
    const p = param.data; // θ, param's shape
    const { momentum: mu, dampening, weightDecay: wd, nesterov, lr } = this;
    if (mu === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (grad[i]! + wd * p[i]!);
      return;
    }
    const first = state.buffers.momentum === undefined;
    const b = this.buffer(param, state, 'momentum'); // momentum buffer, param's shape
    for (let i = 0; i < p.length; i++) {
      const g = grad[i]! + wd * p[i]!;
      b[i] = first ? g : mu * b[i]! + (1 - dampening) * g;
      p[i] -= lr * (nesterov ? g + mu * b[i]! : b[i]!);
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { momentum: this.momentum, dampening: this.dampening, weightDecay: this.weightDecay, nesterov: this.nesterov };
  }

  protected setHyperparameters(h: Record<string, number | boolean>): void {
    const momentum = checkNonNegative('SGD', 'momentum', h.momentum);
    const dampening = checkNonNegative('SGD', 'dampening', h.dampening);
    const weightDecay = checkNonNegative('SGD', 'weightDecay', h.weightDecay);
    const nesterov = checkBoolean('SGD', 'nesterov', h.nesterov);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new OptionError(`SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`);
    }
    Object.assign(this, { momentum, dampening, weightDecay, nesterov });
  }
}
