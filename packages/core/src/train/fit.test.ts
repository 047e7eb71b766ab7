import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { meanSquaredError } from '../loss/index.js';
import { SGD } from '../optim/index.js';
import { Tensor } from '../tensor.js';
import { fit, type FitProgress } from './fit.js';

/** y = 3x − 1 on a few points, as [N, 1] batches. */
function data() {
  const xs = [-1, -0.5, 0, 0.5, 1, 1.5];
  return xs.map((x) => ({ x: Tensor.from([x], [1, 1]), y: Tensor.from([3 * x - 1], [1, 1]) }));
}

describe('fit', () => {
  it('trains, reports progress and evaluates held-out data', async () => {
    const model = new Linear(1, 1, { seed: 1 });
    const progress: FitProgress[] = [];
    const lrs: number[] = [];
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const result = await fit({
      model,
      optimizer,
      epochs: 40,
      trainBatches: data,
      validationBatches: () => data().slice(0, 2),
      loss: ({ x, y }) => meanSquaredError(model.forward(x), y),
      learningRate: (step) => {
        lrs.push(0.1 / (1 + step / 100));
        return lrs[lrs.length - 1]!;
      },
      onProgress: (p) => progress.push(p),
      clipGradNorm: 10,
    });
    expect(result.steps).toBe(240);
    expect(result.epochs).toBe(40);
    expect(result.trainLoss[39]!).toBeLessThan(1e-4);
    expect(result.validationLoss).toHaveLength(40);
    expect(result.validationLoss[39]!).toBeLessThan(1e-4);
    expect(progress.filter((p) => p.validationLoss === undefined)).toHaveLength(240);
    expect(optimizer.lr).toBeCloseTo(lrs[lrs.length - 1]!, 12);
    expect(model.weight.data[0]).toBeCloseTo(3, 2);
  });

  it('stops on maxSteps, and an aborted signal rejects with its reason between batches', async () => {
    const model = new Linear(1, 1);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const loss = ({ x, y }: { x: Tensor; y: Tensor }) => meanSquaredError(model.forward(x), y);
    const r = await fit({ model, optimizer, epochs: 100, maxSteps: 7, trainBatches: data, loss });
    expect(r.steps).toBe(7);
    expect(r.stoppedBy).toBe('maxSteps');

    const controller = new AbortController();
    const steps: number[] = [];
    const run = fit({
      model,
      optimizer,
      epochs: 1000,
      trainBatches: data,
      loss,
      signal: controller.signal,
      onProgress: (p) => {
        steps.push(p.step);
        if (p.step === 3) controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
    expect(steps).toEqual([1, 2, 3]);
  });

  it('rejects unknown options and a diverging loss', async () => {
    const model = new Linear(1, 1);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit({ model, optimizer, trainBatches: data, loss: () => Tensor.from([0], [1]), epoch: 3 } as never)).rejects.toThrow("fit: unknown option 'epoch'");
    await expect(fit({ model, optimizer, trainBatches: data, loss: () => Tensor.from([NaN], [1]) })).rejects.toThrow('the loss became NaN at step 0');
    await expect(fit({ model, optimizer, trainBatches: data, loss: () => Tensor.from([0], [1]), nonFiniteGradients: 'ignore' } as never)).rejects.toThrow(`fit: option 'nonFiniteGradients' must be one of 'throw', 'skip', got 'ignore' (string)`);
  });
});
