import { schema, type FloatArray } from '@recurrent/core';
import { allocFloat, allocInt32, dtypeField, oneRandomSource, randomSourceShape, resolveRandom } from './common.js';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997), in the form of Le et al. 2015 (IRNN):
 * each step carries two features, a value drawn uniformly from [0, 1) and a marker that is 1 at
 * exactly two steps — one in the first half [0, ⌊T/2⌋), one in the second half [⌊T/2⌋, T) —
 * and 0 elsewhere. The target is the sum of the two marked values. Always predicting 1 gives a
 * mean squared error of 1/6 (the variance of a sum of two U(0,1)), the baseline to beat.
 */
export const addingProblemOptionsSchema = schema.object(
  {
    /** T: sequence length (≥ 2). */
    steps: schema.int({ min: 2 }),
    /** B: sequences in the batch. */
    batchSize: schema.int({ min: 1 }),
    /** Element type of inputs and targets (default float32). */
    dtype: dtypeField(),
    ...randomSourceShape,
  },
  { where: oneRandomSource },
);
export type AddingProblemOptions = schema.Infer<typeof addingProblemOptionsSchema>;

export interface AddingProblemBatch {
  inputs: FloatArray; // [T, B, 2]  channel 0: value, channel 1: marker
  targets: FloatArray; // [B, 1]  sum of the two marked values (as stored in `inputs`)
  markers: Int32Array; // [B, 2]  the marked steps (first half, second half)
  steps: number;
  batchSize: number;
}

/** Mean squared error of always predicting 1 (the expected target). */
export const ADDING_PROBLEM_BASELINE_MSE = 1 / 6;

export function addingProblem(options: AddingProblemOptions): AddingProblemBatch {
  const where = 'addingProblem';
  const o = schema.parse(where, addingProblemOptionsSchema, options);
  const T = o.steps;
  const B = o.batchSize;
  const inputs = allocFloat(where, 'steps', o.dtype, [T, B, 2]); // [T, B, 2]
  const targets = allocFloat(where, 'batchSize', o.dtype, [B, 1]); // [B, 1]
  const markers = allocInt32(where, 'batchSize', [B, 2]); // [B, 2]
  const rng = resolveRandom(o);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) inputs[(t * B + b) * 2] = rng.uniform();
  }
  const half = Math.floor(T / 2);
  for (let b = 0; b < B; b++) {
    const first = rng.int(half);
    const second = half + rng.int(T - half);
    markers[b * 2] = first;
    markers[b * 2 + 1] = second;
    inputs[(first * B + b) * 2 + 1] = 1;
    inputs[(second * B + b) * 2 + 1] = 1;
    // Sum of the stored (possibly float32-rounded) values, so the target is exactly reachable.
    targets[b] = inputs[(first * B + b) * 2] + inputs[(second * B + b) * 2];
  }
  return { inputs, targets, markers, steps: T, batchSize: B };
}
