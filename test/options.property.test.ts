/**
 * Random option objects at every public constructor and at fit: mixtures of valid values, wrong
 * types, NaN/±Infinity/fractional/negative/huge numbers, unknown keys and nested init objects.
 * Each case either works (and leaves every parameter finite) or throws one of the library's
 * named errors, never a TypeError or RangeError from inside. Sizes are bounded to 64 so a case
 * takes microseconds; about 10,000 cases in all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  binaryCrossEntropy,
  clipGradNorm,
  clipGradValue,
  cosineAnnealing,
  Dropout,
  Embedding,
  exponentialDecay,
  fit,
  GRU,
  LanguageModel,
  LastStep,
  Linear,
  linearWarmup,
  loadModel,
  loadStateDict,
  LrScheduler,
  LSTM,
  meanSquaredError,
  type Module,
  OptionError,
  Random,
  RMSProp,
  RNN,
  SafetensorsError,
  saveModel,
  Sequential,
  SGD,
  ShapeError,
  softmaxCrossEntropy,
  StateDictError,
  stepDecay,
  Tensor,
} from '@recurrent/core';
import { addingProblem, CharVocabulary, copyMemory, LanguageModelBatches, noisySineWaves, sineSeries, splitTrainValidation } from '@recurrent/datasets';

/** The errors the library throws on purpose; anything else (TypeError, RangeError, Error) fails the property. */
const NAMED_ERRORS = [OptionError, ShapeError, StateDictError, SafetensorsError];

function isNamed(e: unknown): boolean {
  return NAMED_ERRORS.some((c) => e instanceof c);
}

/** Runs `f`; a named error counts as a pass (undefined), anything else is rethrown. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (isNamed(e)) return undefined;
    throw e;
  }
}

async function attemptAsync<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (isNamed(e)) return undefined;
    throw e;
  }
}

function expectFinite(where: string, m: Module): void {
  for (const [name, p] of m.namedParameters()) {
    for (let i = 0; i < p.data.length; i++) {
      if (!Number.isFinite(p.data[i])) throw new Error(`${where}: parameter ${name}[${i}] is ${p.data[i]}`);
    }
  }
}

/** Values no option accepts in that place, or accepts by accident: the point of the test. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 'false', 'no', 'true', '', 'bogus', NaN, Infinity, -Infinity, -1, 0, 1.5, -0.5, 2 ** 31, 1e10, 1e300),
  fc.constantFrom([], {}, [1, 2], ['abc'], { length: 16 }, () => 1, Symbol('s')),
  fc.string({ maxLength: 4 }),
  fc.double({ min: -1e3, max: 1e3 }),
  fc.integer({ min: -5, max: 70 }),
);

/** Option keys that nothing accepts (typos, future options). */
const unknownKeys = fc.constantFrom('hiden', 'lengths', 'batch_first', 'foo', 'topk');

/**
 * Options objects: each field valid (mostly) or junk, absent unless required, sometimes with an
 * unknown key, and sometimes not an object at all.
 */
function options(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []): fc.Arbitrary<unknown> {
  const mixed = Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: junk, weight: 1 })]));
  const object = fc
    .tuple(fc.record(mixed, { requiredKeys: required }), fc.option(fc.tuple(unknownKeys, junk), { freq: 10 }))
    .map(([o, extra]) => (extra === null ? o : { ...o, [extra[0]]: extra[1] }));
  return fc.oneof({ arbitrary: object, weight: 30 }, { arbitrary: junk, weight: 1 });
}

const size = fc.integer({ min: 1, max: 64 });
const small = fc.integer({ min: 1, max: 8 });
const probability = fc.double({ min: 0, max: 0.99, noNaN: true });
const dtype = fc.constantFrom('float32', 'float64');
const seed = fc.nat();

const init = options({
  input: fc.constantFrom('default', 'xavier'),
  recurrent: fc.constantFrom('default', 'orthogonal', 'identity'),
  identityScale: fc.double({ min: -2, max: 2, noNaN: true }),
  bias: fc.constantFrom('default', 'zeros'),
  forgetBias: fc.double({ min: -2, max: 2, noNaN: true }),
});

const recurrent = {
  inputSize: size,
  hiddenSize: fc.oneof(small, size),
  numLayers: fc.integer({ min: 1, max: 3 }),
  bias: fc.boolean(),
  batchFirst: fc.boolean(),
  dropout: probability,
  bidirectional: fc.boolean(),
  dtype,
  seed,
  init,
  rejectNonFinite: fc.boolean(),
};
const lstmFlags = Object.fromEntries(
  ['peephole', 'noInputGate', 'noForgetGate', 'noOutputGate', 'noInputActivation', 'noOutputActivation', 'coupled', 'fullGateRecurrence'].map((k) => [k, fc.boolean()]),
);

/** Constructs, checks the weights, and runs two steps of one sequence. */
function checkRecurrent(make: () => RNN | LSTM | GRU): void {
  const layer = attempt(make);
  if (layer === undefined) return;
  expectFinite(layer.constructor.name, layer);
  const x = Tensor.zeros([2, 1, layer.inputSize], layer.dtype);
  const y = layer.forward(x);
  expect(y.data.every(Number.isFinite)).toBe(true);
}

const tinyParams = () => {
  const w = Tensor.from([0.5, -0.25, 0, 1], [4], 'float64');
  w.requiresGrad = true;
  w.grad = Float64Array.of(0.1, -0.2, 0, 0.05);
  return [w];
};

describe('random options at every public constructor: it works or throws a named error', () => {
  it('RNN, LSTM (with its variant flags) and GRU (with resetAfter and minimal): 3000 cases', () => {
    fc.assert(fc.property(options({ ...recurrent, nonlinearity: fc.constantFrom('tanh', 'relu', 'sigmoid') }, ['inputSize', 'hiddenSize']), (o) => checkRecurrent(() => new RNN(o as never))), { numRuns: 1000 });
    fc.assert(fc.property(options({ ...recurrent, ...lstmFlags }, ['inputSize', 'hiddenSize']), (o) => checkRecurrent(() => new LSTM(o as never))), { numRuns: 1000 });
    fc.assert(fc.property(options({ ...recurrent, resetAfter: fc.boolean(), minimal: fc.boolean() }, ['inputSize', 'hiddenSize']), (o) => checkRecurrent(() => new GRU(o as never))), { numRuns: 1000 });
  });

  it('forwardSequence state options: 300 cases', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3 });
    const x = Tensor.zeros([2, 1, 2]);
    const state = fc.constantFrom(Tensor.zeros([1, 1, 3]), Tensor.zeros([1, 2, 3]), Tensor.zeros([1, 1, 3], 'float64'));
    fc.assert(fc.property(options({ h0: state, c0: state }), (s) => void attempt(() => layer.forwardSequence(x, s as never))), { numRuns: 300 });
  });

  it('Linear, Embedding, Dropout, LastStep and Sequential: 1500 cases', () => {
    const arg = fc.oneof({ arbitrary: size, weight: 6 }, { arbitrary: junk, weight: 1 });
    const linearOptions = options({ bias: fc.boolean(), dtype, seed });
    fc.assert(
      fc.property(arg, arg, linearOptions, (i, o, opts) => {
        const l = attempt(() => new Linear(i as never, o as never, opts as never));
        if (l) expectFinite('Linear', l);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(arg, arg, options({ dtype, seed }), (n, d, opts) => {
        const e = attempt(() => new Embedding(n as never, d as never, opts as never));
        if (e) expectFinite('Embedding', e);
      }),
      { numRuns: 500 },
    );
    const pick = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: junk, weight: 1 });
    fc.assert(fc.property(pick(probability), pick(seed), (p, s) => void attempt(() => new Dropout(p as never, s as never))), { numRuns: 200 });
    fc.assert(fc.property(pick(fc.boolean()), (b) => void attempt(() => new LastStep(b as never))), { numRuns: 100 });
    const layer = fc.oneof(fc.constant(new Linear(2, 2)), fc.constant(new LastStep()), junk);
    fc.assert(fc.property(fc.array(layer, { maxLength: 3 }), (ls) => void attempt(() => new Sequential(...(ls as never[])))), { numRuns: 200 });
  });

  it('LanguageModel and its sampler (topK, topP, temperature): 1000 cases', () => {
    const lm = options(
      { vocabSize: size, embeddingDim: size, hiddenSize: small, numLayers: fc.integer({ min: 1, max: 2 }), cell: fc.constantFrom('lstm', 'gru', 'rnn'), dropout: probability, dtype, seed },
      ['vocabSize', 'hiddenSize'],
    );
    fc.assert(
      fc.property(lm, (o) => {
        const m = attempt(() => new LanguageModel(o as never));
        if (m) expectFinite('LanguageModel', m);
      }),
      { numRuns: 500 },
    );
    const model = new LanguageModel({ vocabSize: 7, hiddenSize: 4, numLayers: 1 });
    const prompt = fc.oneof({ arbitrary: fc.constant(Int32Array.of(1, 2)), weight: 6 }, { arbitrary: fc.constantFrom(Int32Array.of(), Int32Array.of(9), [1, 2]), weight: 1 }, { arbitrary: junk, weight: 1 });
    const length = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 6 }), weight: 6 }, { arbitrary: junk, weight: 1 });
    const sampleOptions = options({ temperature: fc.double({ min: 0, max: 3, noNaN: true }), seed, topK: fc.integer({ min: 1, max: 10 }), topP: fc.double({ min: 0.01, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(prompt, length, sampleOptions, (p, n, o) => {
        const out = attempt(() => model.sample(p as never, n as never, o as never));
        if (out) expect(out.every((id) => id >= 0 && id < 7)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('optimizers (SGD, Adam, AdamW, RMSProp, Adagrad) construct and step: 1500 cases', () => {
    const rate = fc.double({ min: 0, max: 1, noNaN: true });
    const coefficient = fc.double({ min: 0, max: 0.999, noNaN: true });
    const eps = fc.double({ min: 1e-10, max: 1e-2, noNaN: true });
    const cases: Array<[string, (p: Tensor[], o: never) => { step(): void }, fc.Arbitrary<unknown>]> = [
      ['SGD', (p, o) => new SGD(p, o), options({ lr: rate, momentum: coefficient, dampening: coefficient, weightDecay: rate, nesterov: fc.boolean() })],
      ['Adam', (p, o) => new Adam(p, o), options({ lr: rate, betas: fc.tuple(coefficient, coefficient), eps, weightDecay: rate, amsgrad: fc.boolean() })],
      ['AdamW', (p, o) => new AdamW(p, o), options({ lr: rate, betas: fc.tuple(coefficient, coefficient), eps, weightDecay: rate, amsgrad: fc.boolean() })],
      ['RMSProp', (p, o) => new RMSProp(p, o), options({ lr: rate, alpha: coefficient, eps, weightDecay: rate, momentum: coefficient, centered: fc.boolean() })],
      ['Adagrad', (p, o) => new Adagrad(p, o), options({ lr: rate, lrDecay: rate, weightDecay: rate, initialAccumulatorValue: rate, eps })],
    ];
    for (const [name, make, opts] of cases) {
      fc.assert(
        fc.property(opts, (o) => {
          const params = tinyParams();
          const opt = attempt(() => make(params, o as never));
          if (opt === undefined) return;
          opt.step();
          if (!params[0]!.data.every(Number.isFinite)) throw new Error(`${name}: a step with ${JSON.stringify(o)} made a parameter non-finite`);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('schedulers and gradient clipping: 700 cases', () => {
    const arg = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: junk, weight: 1 });
    const lr = arg(fc.double({ min: 0, max: 1, noNaN: true }));
    const steps = arg(fc.integer({ min: 0, max: 20 }));
    const schedule = fc.oneof(
      fc.tuple(lr, steps, arg(fc.double({ min: 0, max: 1, noNaN: true }))).map(([a, b, c]) => () => stepDecay(a as never, b as never, c as never)),
      fc.tuple(lr, arg(fc.double({ min: 0, max: 1, noNaN: true }))).map(([a, b]) => () => exponentialDecay(a as never, b as never)),
      fc.tuple(lr, steps, lr).map(([a, b, c]) => () => cosineAnnealing(a as never, b as never, c as never)),
      fc.tuple(steps, lr).map(([w, a]) => () => linearWarmup(w as never, exponentialDecay(typeof a === 'number' && a >= 0 && Number.isFinite(a) ? a : 0.1, 0.9))),
      junk.map((j) => () => j),
    );
    fc.assert(
      fc.property(schedule, (make) => {
        const opt = new SGD(tinyParams(), { lr: 0.1 });
        const s = attempt(() => new LrScheduler(opt, make() as never));
        if (s === undefined) return;
        // A schedule that overflows later (gamma 1e300) is refused at that step, by name.
        for (let i = 0; i < 3; i++) {
          const lr = attempt(() => s.step());
          if (lr === undefined) break;
          expect(Number.isFinite(lr) && opt.lr === lr).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(arg(fc.double({ min: 0, max: 10, noNaN: true })), options({ normType: fc.constantFrom(1, 2, 3, Infinity) }), (max, o) => {
        attempt(() => clipGradNorm(tinyParams(), max as never, o as never));
        attempt(() => clipGradValue(tinyParams(), max as never));
      }),
      { numRuns: 200 },
    );
  });

  it("losses' options: 600 cases", () => {
    const reduction = fc.constantFrom('mean', 'sum');
    const logits = Tensor.from([0.1, 0.2, 0.3, 0.4], [2, 2]);
    fc.assert(
      fc.property(options({ mask: fc.constantFrom(Float32Array.of(1, 0), Float64Array.of(0.5, 2), Float32Array.of(1)), reduction }), (o) => {
        const l = attempt(() => softmaxCrossEntropy(logits, Int32Array.of(0, 1), o as never));
        if (l) expect(Number.isFinite(l.data[0])).toBe(true);
      }),
      { numRuns: 200 },
    );
    const p = Tensor.from([0.2, 0.7], [2]);
    fc.assert(fc.property(options({ fromLogits: fc.boolean(), reduction }), (o) => void attempt(() => binaryCrossEntropy(p, [0, 1], o as never))), { numRuns: 200 });
    fc.assert(fc.property(options({ reduction }), (o) => void attempt(() => meanSquaredError(p, [0, 1], o as never))), { numRuns: 200 });
  });

  it('loadStateDict with random tensors and options: 500 cases', () => {
    const data = fc.oneof(
      { arbitrary: fc.constantFrom(new Float32Array(6), Float64Array.from({ length: 6 }, (_, i) => i / 7), [1, 2, 3, 4, 5, 6]), weight: 6 },
      { arbitrary: fc.constantFrom(['abc', 1, 2, 3, 4, 5], { length: 6 }, new Float32Array(5), Float64Array.of(1, 2, 3, NaN, 5, 6), new BigInt64Array(6), 'abcdef'), weight: 3 },
      { arbitrary: junk, weight: 1 },
    );
    const shape = fc.oneof({ arbitrary: fc.constant([3, 2]), weight: 6 }, { arbitrary: fc.constantFrom([6], [2, 3], 'x', [3, 2, 1]), weight: 1 }, { arbitrary: junk, weight: 1 });
    const entry = fc.oneof({ arbitrary: fc.record({ shape, data }), weight: 8 }, { arbitrary: junk, weight: 1 });
    const tensors = fc.dictionary(fc.constantFrom('weight', 'bias', 'weight2', 'extra'), entry, { maxKeys: 3 });
    fc.assert(
      fc.property(fc.oneof({ arbitrary: tensors, weight: 10 }, { arbitrary: junk, weight: 1 }), options({ strict: fc.boolean() }), (t, o) => {
        const m = new Linear(2, 3, { bias: false });
        attempt(() => loadStateDict(m, t as never, o as never));
        expectFinite('loadStateDict', m);
      }),
      { numRuns: 500 },
    );
  });
});

describe('random options at saveModel, loadModel and fit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recurrent-options-'));

  it('saveModel and loadModel: 200 cases', async () => {
    const metadata = fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), junk), { maxKeys: 2 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(options({ metadata, dtype: fc.constantFrom('F32', 'F64') }), options({ strict: fc.boolean() }), async (save, load) => {
        const path = join(dir, `m${n++}.safetensors`);
        const saved = await attemptAsync(() => saveModel(path, new Linear(2, 2, { seed: 1 }), save as never));
        if (saved === undefined && !(await exists(path))) return;
        const m = new Linear(2, 2, { seed: 2 });
        await attemptAsync(() => loadModel(path, m, load as never));
        expectFinite('loadModel', m);
      }),
      { numRuns: 200 },
    );
  });

  it('fit with small models and one or two batches: 400 cases', async () => {
    const x = Tensor.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [2, 2, 2]); // [T, B, I]
    const y = Tensor.from([0.5, -0.5], [2, 1]);
    const goodLoss = (m: Module) => () => meanSquaredError((m as Sequential).forward(x), y);
    const loss = fc.oneof(
      { arbitrary: fc.constant('good'), weight: 6 },
      { arbitrary: fc.constantFrom(() => 0.5, () => undefined, () => Tensor.zeros([2]), () => 'loss'), weight: 1 },
      { arbitrary: junk, weight: 1 },
    );
    const batches = fc.oneof(
      { arbitrary: fc.constantFrom(() => [1], () => [1, 2]), weight: 6 },
      { arbitrary: fc.constantFrom(() => [], () => 5, () => null), weight: 1 },
      { arbitrary: junk, weight: 1 },
    );
    const fields = {
      loss,
      trainBatches: batches,
      validationBatches: batches,
      epochs: fc.integer({ min: 1, max: 2 }),
      maxSteps: fc.integer({ min: 1, max: 3 }),
      maxSeconds: fc.double({ min: 0.5, max: 10, noNaN: true }),
      clipGradNorm: fc.double({ min: 0.1, max: 5, noNaN: true }),
      clipGradValue: fc.double({ min: 0.1, max: 5, noNaN: true }),
      onProgress: fc.constant(() => {}),
      learningRate: fc.constantFrom(
        () => 0.01,
        () => NaN,
        () => -1,
      ),
      signal: fc.constant(new AbortController().signal),
    };
    await fc.assert(
      fc.asyncProperty(options(fields, ['loss', 'trainBatches']), fc.boolean(), async (o, goodOptimizer) => {
        const model = new Sequential(new LSTM({ inputSize: 2, hiddenSize: 3, seed: 1 }), new LastStep(), new Linear(3, 1, { seed: 2 }));
        const optimizer = goodOptimizer ? new SGD(model.parameters(), { lr: 0.05 }) : { step: 1 };
        const given = o !== null && typeof o === 'object' ? { ...(o as object) } : o;
        if (given !== null && typeof given === 'object' && (given as { loss?: unknown }).loss === 'good') (given as { loss: unknown }).loss = goodLoss(model);
        const args = given !== null && typeof given === 'object' ? { model, optimizer, ...given } : given;
        const r = await attemptAsync(() => fit(args as never));
        if (r) expect(r.trainLoss.every(Number.isFinite)).toBe(true);
        expectFinite('fit', model);
      }),
      { numRuns: 400 },
    );
  });
});

describe('random options at the dataset functions', () => {
  const arg = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: junk, weight: 1 });
  const source = { seed, random: fc.constant(new Random(3)) };

  it('synthetic tasks, batching and vocabularies: 1200 cases', () => {
    const finiteData = (a: ArrayLike<number>) => Array.prototype.every.call(a, Number.isFinite);
    fc.assert(
      fc.property(options({ steps: size, batchSize: small, dtype, ...source }, ['steps', 'batchSize']), (o) => {
        const b = attempt(() => addingProblem(o as never));
        if (b) expect(finiteData(b.inputs) && finiteData(b.targets)).toBe(true);
      }),
      { numRuns: 200 },
    );
    fc.assert(fc.property(options({ length: small, delay: size, symbols: small, batchSize: small, ...source }, ['delay', 'batchSize']), (o) => void attempt(() => copyMemory(o as never))), { numRuns: 200 });
    const range = fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }));
    fc.assert(
      fc.property(
        options({ steps: size, batchSize: small, frequency: range, amplitude: range, noiseStd: fc.double({ min: 0, max: 1, noNaN: true }), horizon: small, dtype, ...source }, ['steps', 'batchSize']),
        (o) => {
          const b = attempt(() => noisySineWaves(o as never));
          if (b) expect(finiteData(b.inputs) && finiteData(b.targets)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(arg(size), options({ frequency: fc.double({ min: 0, max: 1, noNaN: true }), amplitude: fc.double({ min: -2, max: 2, noNaN: true }), phase: fc.double({ min: -3, max: 3, noNaN: true }), noiseStd: fc.double({ min: 0, max: 1, noNaN: true }), ...source }), (n, o) => {
        const s = attempt(() => sineSeries(n as never, o as never));
        if (s) expect(finiteData(s)).toBe(true);
      }),
      { numRuns: 200 },
    );
    const stream = arg(fc.constantFrom(Int32Array.from({ length: 40 }, (_, i) => i % 5), Int32Array.of(1, 2)));
    fc.assert(
      fc.property(stream, options({ batchSize: small, steps: small, dropLast: fc.boolean() }, ['batchSize', 'steps']), (s, o) => {
        const b = attempt(() => new LanguageModelBatches(s as never, o as never));
        if (b) for (const w of b) expect(w.inputs.length).toBe(w.steps * b.batchSize);
      }),
      { numRuns: 200 },
    );
    fc.assert(fc.property(stream, arg(fc.double({ min: 0, max: 1, noNaN: true })), (s, f) => void attempt(() => splitTrainValidation(s as never, f as never))), { numRuns: 100 });
    fc.assert(fc.property(arg(fc.string({ maxLength: 12 })), options({ minCount: small, unknown: fc.constantFrom('?', '\uFFFD', 'ab', '') }), (t, o) => void attempt(() => CharVocabulary.fromText(t as never, o as never))), { numRuns: 100 });
  });
});

async function exists(path: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return access(path).then(
    () => true,
    () => false,
  );
}
