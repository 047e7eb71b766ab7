export { oneHot, type DType, type FloatArray, type RandomSource } from './common.js';
export { addingProblem, ADDING_PROBLEM_BASELINE_MSE, type AddingProblemBatch, type AddingProblemOptions } from './adding-problem.js';
export { copyMemory, copyMemoryBaseline, type CopyMemoryBatch, type CopyMemoryOptions } from './copy-memory.js';
export { noisySineWaves, sineSeries, type NoisySineBatch, type NoisySineOptions, type SineSeriesOptions } from './sine-waves.js';
