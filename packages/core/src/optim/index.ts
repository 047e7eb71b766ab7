export { Optimizer, type OptimizerStateDict, type ParamState } from './optimizer.js';
export { SGD, type SgdOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSProp, type RmsPropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue, firstNonFiniteGradient, type ClipGradNormOptions, type NonFiniteGradient } from './clip-grad.js';
export { LrScheduler, stepDecay, exponentialDecay, cosineAnnealing, linearWarmup, type LrSchedule } from './lr-scheduler.js';
