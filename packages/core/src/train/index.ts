export { fit, evaluate, fitOptionsSchema, type FitOptions, type FitProgress, type FitResult, type FitOptimizer } from './fit.js';
