import { noGrad, recordOn, Tape } from '../autograd/tape.js';
import { formatShape, NonFiniteGradientError, OptionError, ShapeError } from '../errors.js';
import type { Module } from '../layers/module.js';
import { clipGradNorm, clipGradValue, firstNonFiniteGradient } from '../optim/index.js';
import { describeValue } from '../schema/describe.js';
import { object } from '../schema/object.js';
import { custom, finite, func, instance, int, oneOf } from '../schema/primitives.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import { Tensor } from '../tensor.js';

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

/**
 * fit's options, declared once: the type below and the run-time check both come from here, so
 * adding an option is one line in this object.
 */
export const fitOptionsSchema = object({
  model: custom<Module>('a Module', (v) => typeof (v as Partial<Module> | null)?.parameters === 'function'),
  optimizer: custom<FitOptimizer>('an optimizer with step() and zeroGrad()', (v) => {
    const o = v as Partial<FitOptimizer> | null;
    return typeof o?.step === 'function' && typeof o.zeroGrad === 'function';
  }),
  /** Forward pass and loss of one batch: a scalar tensor. Runs while a tape records. */
  loss: func<(batch: never) => Tensor>('a function (batch) => scalar Tensor'),
  /** The training batches of one epoch (called once per epoch). */
  trainBatches: func<() => Iterable<unknown>>('a function returning the batches of one epoch'),
  /** Held-out batches, evaluated after every epoch with the model in eval mode and no tape. */
  validationBatches: func<() => Iterable<unknown>>('a function returning the validation batches').optional(),
  epochs: int({ min: 1 }).default(1),
  /** Stop after this many optimizer steps. */
  maxSteps: int({ min: 1 }).optional(),
  /** Stop after this much wall time (checked between batches). */
  maxSeconds: finite({ min: 0, exclusiveMin: true }).optional(),
  clipGradNorm: finite({ min: 0, exclusiveMin: true }).optional(),
  clipGradValue: finite({ min: 0, exclusiveMin: true }).optional(),
  /**
   * A batch whose loss is finite but whose gradient is not (NaN or ±Infinity, e.g. from an
   * Infinity in its inputs): 'throw' (default) rejects with NonFiniteGradientError before the
   * step, weights and optimizer state as they were; 'skip' drops the batch without a step and
   * counts it in skippedBatches.
   */
  nonFiniteGradients: oneOf(['throw', 'skip']).default('throw'),
  /** Called after every batch, and once more at the end of an epoch with validationLoss set (loss is then the epoch's mean). */
  onProgress: func<(p: FitProgress) => void>().optional(),
  /** Called before every step with the step index: return the learning rate to use (a schedule hook). */
  learningRate: func<(step: number) => number>().optional(),
  signal: instance(AbortSignal).optional(),
});

/** The schema's type, with the batch type threaded through the functions that see batches. */
export type FitOptions<Batch> = Omit<Infer<typeof fitOptionsSchema>, 'loss' | 'trainBatches' | 'validationBatches'> & {
  /** Forward pass and loss of one batch: a scalar tensor. Runs while a tape records. */
  loss: (batch: Batch) => Tensor;
  /** The training batches of one epoch (called once per epoch). */
  trainBatches: () => Iterable<Batch>;
  /** Held-out batches, evaluated after every epoch with the model in eval mode and no tape. */
  validationBatches?: () => Iterable<Batch>;
};

export interface FitResult {
  steps: number;
  epochs: number;
  trainLoss: number[]; // mean per epoch over the stepped batches (NaN when all were skipped)
  validationLoss: number[]; // per epoch, when validation data is given
  skippedBatches: number; // batches skipped for a non-finite gradient (nonFiniteGradients: 'skip')
  seconds: number;
  stoppedBy: 'epochs' | 'maxSteps' | 'maxSeconds';
}

/**
 * Trains `model` over batches: record the loss on a tape, replay it, clip, step. Yields to the
 * event loop between batches so a server stays responsive; an aborted `signal` rejects with
 * its reason (the model keeps the weights of the last finished step).
 */
export async function fit<Batch>(options: FitOptions<Batch>): Promise<FitResult> {
  parse('fit', fitOptionsSchema, options);
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
    for (const batch of batchesOf('fit', 'trainBatches', options.trainBatches)) {
      batchInEpoch++;
      signal?.throwIfAborted();
      if (options.learningRate) withLr.lr = options.learningRate(result.steps);
      optimizer.zeroGrad();
      const tape = new Tape();
      const loss = recordOn(tape, () => options.loss(batch));
      const value = scalarLoss('fit', loss);
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
    if (batchInEpoch < 0) throw new OptionError(`fit: trainBatches() yielded no batches in epoch ${epoch}; expected at least one`);
    result.trainLoss.push(count > 0 ? sum / count : NaN); // NaN only when every batch was skipped (see skippedBatches)
    result.epochs = epoch + 1;
    if (options.validationBatches) {
      const v = await evaluateIn('fit', 'validationBatches', model, options.loss, batchesOf('fit', 'validationBatches', options.validationBatches), signal);
      result.validationLoss.push(v);
      options.onProgress?.({ epoch, step: result.steps, batchInEpoch: batchInEpoch + 1, loss: sum / count, meanLoss: sum / count, seconds: elapsed(), gradNorm: null, skippedBatches: result.skippedBatches, validationLoss: v });
    }
  }
  if (options.validationBatches && result.validationLoss.length < result.epochs) {
    const batches = batchesOf('fit', 'validationBatches', options.validationBatches);
    result.validationLoss.push(await evaluateIn('fit', 'validationBatches', model, options.loss, batches, signal));
  }
  result.seconds = elapsed();
  return result;
}

/** Mean loss over batches with the model in eval mode (no dropout) and no tape. */
export async function evaluate<Batch>(model: Module, loss: (batch: Batch) => Tensor, batches: Iterable<Batch>, signal?: AbortSignal): Promise<number> {
  parseArgument('evaluate', 'model', fitOptionsSchema.shape.model, model);
  parseArgument('evaluate', 'loss', fitOptionsSchema.shape.loss, loss);
  parseArgument('evaluate', 'batches', iterable, batches);
  return evaluateIn('evaluate', 'batches', model, loss, batches, signal);
}

async function evaluateIn<Batch>(where: string, what: string, model: Module, loss: (batch: Batch) => Tensor, batches: Iterable<Batch>, signal?: AbortSignal): Promise<number> {
  const wasTraining = model.training;
  model.eval();
  let sum = 0;
  let count = 0;
  try {
    for (const batch of batches) {
      signal?.throwIfAborted();
      sum += scalarLoss(where, noGrad(() => loss(batch)));
      count++;
      await yieldToEventLoop();
    }
  } finally {
    model.train(wasTraining);
  }
  if (count === 0) throw new OptionError(`${where}: ${what} yielded no batches; expected at least one`);
  return sum / count;
}

const iterable = custom<Iterable<unknown>>('an iterable of batches', (v) => typeof (v as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] === 'function');

/** The batches `make()` returns, checked to be iterable. */
function batchesOf<Batch>(where: string, name: string, make: () => Iterable<Batch>): Iterable<Batch> {
  return parseArgument(where, `${name}()`, iterable, make()) as Iterable<Batch>;
}

/** The value of a loss function's result, which must be a one-element Tensor. */
function scalarLoss(where: string, loss: unknown): number {
  if (!(loss instanceof Tensor)) throw new OptionError(`${where}: option 'loss' must return a scalar Tensor, got ${describeValue(loss)}`);
  if (loss.size !== 1) throw new ShapeError(`${where}: option 'loss' returned a Tensor of shape ${formatShape(loss.shape)}, expected a scalar ([1] or [])`);
  return loss.data[0]!;
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
