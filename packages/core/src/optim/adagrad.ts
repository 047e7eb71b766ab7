import type { FloatArray } from '../dtype.js';
import { object } from '../schema/object.js';
import { parse, type Infer } from '../schema/schema.js';
import type { Tensor } from '../tensor.js';
import { epsilon, learningRate, nonNegative, Optimizer, type ParamState } from './optimizer.js';

const hyperShape = {
  lrDecay: nonNegative().default(0),
  weightDecay: nonNegative().default(0),
  /** Starting value of the squared-gradient sum, default 0. */
  initialAccumulatorValue: nonNegative().default(0),
  /** Default 1e-10. */
  eps: epsilon().default(1e-10),
};
/** The hyperparameters in a state dict. */
const adagradHyperparameters = object(hyperShape);
export const adagradOptionsSchema = object({
  /** Default 1e-2. */
  lr: learningRate(1e-2),
  ...hyperShape,
});
export type AdagradOptions = Infer<typeof adagradOptionsSchema>;

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
    const { lr, ...hyper } = parse('Adagrad', adagradOptionsSchema, options);
    super('Adagrad', params, lr);
    Object.assign(this, hyper);
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
    Object.assign(this, parse('Adagrad.loadStateDict: hyperparameters', adagradHyperparameters, h));
  }
}
