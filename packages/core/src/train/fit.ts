import { noGrad, recordOn, Tape } from '../autograd/tape.js';
import { checkOneOf, NonFiniteGradientError, OptionError } from '../errors.js';
import type { Module } from '../layers/module.js';
import { clipGradNorm, clipGradValue, firstNonFiniteGradient } from '../optim/index.js';
import type { Tensor } from '../tensor.js';

/** What fit needs of an optimizer. */
export interface FitOptimizer {
  step(): void;
  zeroGrad(): void;
}

export interface FitProgress {
  epoch: number; // 0-based
  step: number; // optimizer steps so far
  batchInEpoch: number;
  loss: number; // this batch's loss
  meanLoss: number; // mean over this epoch's stepped batches so far
  skippedBatches: number; // batches skipped so far for a non-finite gradient (nonFiniteGradients: 'skip')
  seconds: number; // since fit started
  gradNorm: number | null; // before clipping, when clipGradNorm is set
  validationLoss?: number; // at the end of an epoch, when validation data is given
}

export interface FitOptions<Batch> {
  model: Module;
  optimizer: FitOptimizer;
  /** Forward pass and loss of one batch: a scalar tensor. Runs while a tape records. */
  loss: (batch: Batch) => Tensor;
  /** The training batches of one epoch (called once per epoch). */
  trainBatches: () => Iterable<Batch>;
  /** Held-out batches, evaluated after every epoch with the model in eval mode and no tape. */
  validationBatches?: () => Iterable<Batch>;
  epochs?: number;
  /** Stop after this many optimizer steps. */
  maxSteps?: number;
  /** Stop after this much wall time (checked between batches). */
  maxSeconds?: number;
  clipGradNorm?: number;
  clipGradValue?: number;
  /**
   * A batch whose loss is finite but whose gradient is not (NaN or ±Infinity, e.g. from an
   * Infinity in its inputs): 'throw' (default) rejects with NonFiniteGradientError before the
   * step, weights and optimizer state as they were; 'skip' drops the batch without a step and
   * counts it in skippedBatches.
   */
  nonFiniteGradients?: 'throw' | 'skip';
  /** Called after every batch, and once more at the end of an epoch with validationLoss set (loss is then the epoch's mean). */
  onProgress?: (p: FitProgress) => void;
  /** Called before every step with the step index: return the learning rate to use (a schedule hook). */
  learningRate?: (step: number) => number;
  signal?: AbortSignal;
}

export interface FitResult {
  steps: number;
  epochs: number;
  trainLoss: number[]; // mean per epoch
  validationLoss: number[]; // per epoch, when validation data is given
  skippedBatches: number; // batches skipped for a non-finite gradient (nonFiniteGradients: 'skip')
  seconds: number;
  stoppedBy: 'epochs' | 'maxSteps' | 'maxSeconds';
}

const FIT_KEYS = ['model', 'optimizer', 'loss', 'trainBatches', 'validationBatches', 'epochs', 'maxSteps', 'maxSeconds', 'clipGradNorm', 'clipGradValue', 'nonFiniteGradients', 'onProgress', 'learningRate', 'signal'];

/**
 * Trains `model` over batches: record the loss on a tape, replay it, clip, step. Yields to the
 * event loop between batches so a server stays responsive; an aborted `signal` rejects with
 * its reason (the model keeps the weights of the last finished step).
 */
export async function fit<Batch>(options: FitOptions<Batch>): Promise<FitResult> {
  checkFitOptions(options);
  const { model, optimizer, signal } = options;
  const epochs = options.epochs ?? 1;
  const named = model.namedParameters();
  const params = named.map(([, p]) => p);
  const skipNonFinite = options.nonFiniteGradients === 'skip';
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const result: FitResult = { steps: 0, epochs: 0, trainLoss: [], validationLoss: [], skippedBatches: 0, seconds: 0, stoppedBy: 'epochs' };
  const withLr = optimizer as FitOptimizer & { lr?: number };

  outer: for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    let sum = 0;
    let count = 0; // batches stepped
    let batchInEpoch = -1;
    for (const batch of options.trainBatches()) {
      batchInEpoch++;
      signal?.throwIfAborted();
      if (options.learningRate) withLr.lr = options.learningRate(result.steps);
      optimizer.zeroGrad();
      const tape = new Tape();
      const loss = recordOn(tape, () => options.loss(batch));
      const value = loss.data[0]!;
      if (!Number.isFinite(value)) throw new RangeError(`fit: the loss became ${value} at step ${result.steps}; lower the learning rate or clip gradients`);
      tape.backward(loss);
      const { finite, gradNorm } = clipChecked(params, options);
      if (finite) {
        optimizer.step();
        result.steps++;
        sum += value;
        count++;
      } else if (skipNonFinite) {
        optimizer.zeroGrad(); // leave no NaN gradient behind
        result.skippedBatches++;
      } else {
        throw nonFiniteGradientError(named, value, result.steps, epoch, batchInEpoch);
      }
      options.onProgress?.({ epoch, step: result.steps, batchInEpoch, loss: value, meanLoss: sum / count, seconds: elapsed(), gradNorm, skippedBatches: result.skippedBatches });
      await yieldToEventLoop();
      if (options.maxSteps !== undefined && result.steps >= options.maxSteps) {
        result.stoppedBy = 'maxSteps';
        result.trainLoss.push(sum / count);
        result.epochs = epoch + 1;
        break outer;
      }
      if (options.maxSeconds !== undefined && elapsed() >= options.maxSeconds) {
        result.stoppedBy = 'maxSeconds';
        result.trainLoss.push(sum / count);
        result.epochs = epoch + 1;
        break outer;
      }
    }
    result.trainLoss.push(count > 0 ? sum / count : NaN);
    result.epochs = epoch + 1;
    if (options.validationBatches) {
      const v = await evaluate(model, options.loss, options.validationBatches(), signal);
      result.validationLoss.push(v);
      options.onProgress?.({ epoch, step: result.steps, batchInEpoch: batchInEpoch + 1, loss: sum / count, meanLoss: sum / count, seconds: elapsed(), gradNorm: null, skippedBatches: result.skippedBatches, validationLoss: v });
    }
  }
  if (options.validationBatches && result.validationLoss.length < result.epochs) {
    result.validationLoss.push(await evaluate(model, options.loss, options.validationBatches(), signal));
  }
  result.seconds = elapsed();
  return result;
}

/** Mean loss over batches with the model in eval mode (no dropout) and no tape. */
export async function evaluate<Batch>(model: Module, loss: (batch: Batch) => Tensor, batches: Iterable<Batch>, signal?: AbortSignal): Promise<number> {
  const wasTraining = model.training;
  model.eval();
  let sum = 0;
  let count = 0;
  try {
    for (const batch of batches) {
      signal?.throwIfAborted();
      sum += noGrad(() => loss(batch)).data[0]!;
      count++;
      await yieldToEventLoop();
    }
  } finally {
    model.train(wasTraining);
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * Clips as the options ask and tells whether the gradients backward left were all finite,
 * checked once: by the norm clipGradNorm takes when it sees them first (a non-finite element
 * makes the norm non-finite, and clipGradNorm then leaves them unscaled), else by a finiteness
 * pass before any clipping (clipGradValue would clamp ±Infinity to finite values).
 */
function clipChecked<Batch>(params: Tensor[], o: FitOptions<Batch>): { finite: boolean; gradNorm: number | null } {
  if (o.clipGradNorm !== undefined && o.clipGradValue === undefined) {
    const gradNorm = clipGradNorm(params, o.clipGradNorm);
    return { finite: Number.isFinite(gradNorm), gradNorm };
  }
  if (firstNonFiniteGradient(params) !== null) return { finite: false, gradNorm: null };
  if (o.clipGradValue !== undefined) clipGradValue(params, o.clipGradValue);
  return { finite: true, gradNorm: o.clipGradNorm !== undefined ? clipGradNorm(params, o.clipGradNorm) : null };
}

/** Names the first parameter with a non-finite gradient (looked up only on this failure path). */
function nonFiniteGradientError(named: Array<[string, Tensor]>, loss: number, step: number, epoch: number, batchInEpoch: number): NonFiniteGradientError {
  const at = `at step ${step} (epoch ${epoch}, batch ${batchInEpoch}) though the loss is finite (${loss})`;
  const advice = "the weights and optimizer state are as before this batch; check the batch's inputs for NaN or Infinity, or pass nonFiniteGradients: 'skip'";
  const first = firstNonFiniteGradient(named.map(([, p]) => p));
  if (first === null) return new NonFiniteGradientError(`fit: the gradient norm overflowed to Infinity ${at}, every gradient element being finite; ${advice}`, step, epoch, batchInEpoch, null);
  const name = named[first.param]![0];
  return new NonFiniteGradientError(`fit: the gradient of '${name}' holds ${first.value} at flat index ${first.index} ${at}; ${advice}`, step, epoch, batchInEpoch, name);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function checkFitOptions<Batch>(o: FitOptions<Batch>): void {
  for (const key of Object.keys(o)) if (!FIT_KEYS.includes(key)) throw new OptionError(`fit: unknown option '${key}'; expected one of ${FIT_KEYS.join(', ')}`);
  if (!o.model || typeof o.model.parameters !== 'function') throw new OptionError('fit: model must be a Module');
  if (!o.optimizer || typeof o.optimizer.step !== 'function') throw new OptionError('fit: optimizer must have step() and zeroGrad()');
  if (typeof o.loss !== 'function') throw new OptionError('fit: loss must be a function (batch) => scalar Tensor');
  if (typeof o.trainBatches !== 'function') throw new OptionError('fit: trainBatches must be a function returning the batches of one epoch');
  if (o.nonFiniteGradients !== undefined) checkOneOf('fit', 'nonFiniteGradients', o.nonFiniteGradients, ['throw', 'skip']);
  for (const k of ['epochs', 'maxSteps'] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new OptionError(`fit: ${k} must be a positive integer, got ${String(v)}`);
  }
  for (const k of ['maxSeconds', 'clipGradNorm', 'clipGradValue'] as const) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) throw new OptionError(`fit: ${k} must be a positive number, got ${String(v)}`);
  }
}
