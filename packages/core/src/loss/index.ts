export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy.js';
export { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './binary-cross-entropy.js';
export { meanSquaredError, type MeanSquaredErrorOptions } from './mean-squared-error.js';
export type { ElementTargets } from './element-targets.js';
export type { Reduction } from './reduction.js';
