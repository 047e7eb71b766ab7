import { oneOf } from '../schema/primitives.js';

/** How a loss combines its per-element terms: their mean (default) or their sum. */
export const reductionSchema = () => oneOf(['mean', 'sum']).default('mean');
export type Reduction = 'mean' | 'sum';
