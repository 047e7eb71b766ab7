/** Fields many options objects share, so each rule is written once. */
import { int, oneOf } from './primitives.js';

/** Element type of parameters and data. */
export const dtype = () => oneOf(['float32', 'float64'] as const);
/** A generator seed: Random takes 32 bits, so larger, negative or fractional seeds would alias. */
export const seed = () => int({ min: 0, max: 2 ** 32 - 1 });
