import { Random, schema, type DType, type FloatArray } from '@recurrent/core';

const { checkTensorSize, instance, int, oneOf, parseArgument } = schema;

export type { DType, FloatArray };

/** Where a generator draws from: an explicit `random`, else a new `Random(seed)` (seed 0 by default). Spread into each schema. */
export const randomSourceShape = {
  seed: schema.seed().optional(),
  random: instance(Random).optional(),
};
export interface RandomSource {
  seed?: number;
  random?: Random;
}

/** Element type of generated data, default float32. */
export const dtypeField = () => oneOf(['float32', 'float64'] as const).default('float32');

/** Rule for the schemas' `where`: seed and random exclude each other. */
export function oneRandomSource(o: RandomSource): string | undefined {
  return o.random !== undefined && o.seed !== undefined ? 'give either seed or random, not both' : undefined;
}

export function resolveRandom(o: RandomSource): Random {
  return o.random ?? new Random(o.seed ?? 0);
}

/** A typed array of `shape`, its size checked first (an OptionError naming `option`, not "Invalid typed array length"). */
export function allocFloat(where: string, option: string, dtype: DType, shape: readonly number[]): FloatArray {
  checkTensorSize(where, option, shape, dtype === 'float64' ? 8 : 4);
  const n = shape.reduce((a, b) => a * b, 1);
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function allocInt32(where: string, option: string, shape: readonly number[]): Int32Array {
  checkTensorSize(where, option, shape, 4);
  return new Int32Array(shape.reduce((a, b) => a * b, 1));
}

/** One-hot rows: ids [N] (any leading shape flattened) -> out [N, classes]. */
export function oneHot(ids: ArrayLike<number>, classes: number, dtype: DType = 'float32'): FloatArray {
  parseArgument('oneHot', 'classes', int({ min: 1 }), classes);
  const d = parseArgument('oneHot', 'dtype', dtypeField(), dtype);
  const out = allocFloat('oneHot', 'classes', d, [ids.length, classes]); // [N, classes]
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (!Number.isInteger(id) || id < 0 || id >= classes) throw new RangeError(`oneHot: id ${id} at position ${n} is outside [0, ${classes})`);
    out[n * classes + id] = 1;
  }
  return out;
}
