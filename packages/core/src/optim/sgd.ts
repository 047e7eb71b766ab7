import type { FloatArray } from '../dtype.js';
import { object } from '../schema/object.js';
import { bool } from '../schema/primitives.js';
import { parse, type Infer } from '../schema/schema.js';
import type { Tensor } from '../tensor.js';
import { learningRate, nonNegative, Optimizer, type ParamState } from './optimizer.js';

const hyperShape = {
  momentum: nonNegative().default(0),
  dampening: nonNegative().default(0),
  weightDecay: nonNegative().default(0),
  nesterov: bool().default(false),
};
const nesterovRule = (h: { nesterov: boolean; momentum: number; dampening: number }): string | undefined =>
  h.nesterov && (h.momentum <= 0 || h.dampening !== 0)
    ? `Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${h.momentum}, dampening ${h.dampening}`
    : undefined;
/** The hyperparameters in a state dict. */
const sgdHyperparameters = object(hyperShape, { where: (h) => nesterovRule(h) });
export const sgdOptionsSchema = object(
  {
    /** Default 1e-3 (PyTorch 2.x). */
    lr: learningRate(1e-3),
    ...hyperShape,
  },
  { where: (h) => nesterovRule(h) },
);
export type SgdOptions = Infer<typeof sgdOptionsSchema>;

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
    const { lr, ...hyper } = parse('SGD', sgdOptionsSchema, options);
    super('SGD', params, lr);
    Object.assign(this, hyper);
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
    Object.assign(this, parse('SGD.loadStateDict: hyperparameters', sgdHyperparameters, h));
  }
}
