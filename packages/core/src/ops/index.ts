export { reshape, detach, concat, slice, swapLeadingAxes } from './shape-ops.js';
export { linear } from './linear.js';
export { unaryOp, tanh, sigmoid, relu, add, mul, scale, sum, dot, applyMask } from './elementwise.js';
export { embedding } from './embedding.js';
export { sequenceOp, type CellParams, type SequenceOutputs } from './recurrent.js';
