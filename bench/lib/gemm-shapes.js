/**
 * The products the recurrent kernels run for the issue-2 problem (T = 64, B = 32, I = 128,
 * H = 256, LSTM's 4H = 1024 gate rows): name, M, N, K, transA, transB.
 */
export const GEMM_SHAPES = Object.freeze([
  ['input projection X·W_ih^T', 2048, 1024, 128, false, true],
  ['recurrent step h·W_hh^T', 32, 1024, 256, false, true],
  ['dW_ih = dG^T·X', 1024, 128, 2048, true, false],
  ['dX = dG·W_ih', 2048, 128, 1024, false, false],
  ['dh = dG_t·W_hh (per step)', 32, 256, 1024, false, false],
  ['dW_hh = dG^T·H (all steps)', 1024, 256, 2048, true, false],
]);
