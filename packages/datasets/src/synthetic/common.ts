import { Random, type DType, type FloatArray } from '@recurrent/core';

export type { DType, FloatArray };
/** Unknown option keys throw, naming the allowed ones (core's check, shared by every package). */
export { checkOptionKeys as checkKeys } from '@recurrent/core';

/** Where a generator draws from: an explicit `random`, else a new `Random(seed)` (seed 0 by default). */
export interface RandomSource {
  seed?: number;
  random?: Random;
}

export function resolveRandom(where: string, options: RandomSource): Random {
  if (options.random !== undefined && options.seed !== undefined) {
    throw new RangeError(`${where}: give either seed or random, not both`);
  }
  if (options.random !== undefined) {
    if (!(options.random instanceof Random)) throw new TypeError(`${where}: random must be a Random from @recurrent/core`);
    return options.random;
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${String(seed)}`);
  return new Random(seed);
}

export function allocFloat(where: string, dtype: unknown, length: number): FloatArray {
  if (dtype === undefined || dtype === 'float32') return new Float32Array(length);
  if (dtype === 'float64') return new Float64Array(length);
  throw new RangeError(`${where}: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
}

export function positiveInt(where: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${where}: ${name} must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}


/** One-hot rows: ids [N] (any leading shape flattened) -> out [N, classes]. */
export function oneHot(ids: ArrayLike<number>, classes: number, dtype: DType = 'float32'): FloatArray {
  positiveInt('oneHot', 'classes', classes);
  const out = allocFloat('oneHot', dtype, ids.length * classes); // [N, classes]
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (!Number.isInteger(id) || id < 0 || id >= classes) throw new RangeError(`oneHot: id ${id} at position ${n} is outside [0, ${classes})`);
    out[n * classes + id] = 1;
  }
  return out;
}
