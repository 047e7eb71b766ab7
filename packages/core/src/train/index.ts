export { fit, evaluate, type FitOptions, type FitProgress, type FitResult, type FitOptimizer } from './fit.js';
