import { checkOneOf } from '../errors.js';

/** How a loss combines its per-element terms: their mean (default) or their sum. */
export type Reduction = 'mean' | 'sum';

export function checkReduction(where: string, value: unknown): Reduction {
  return checkOneOf<Reduction>(where, 'reduction', value ?? 'mean', ['mean', 'sum']);
}
