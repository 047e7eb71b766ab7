import type { MessagePort } from 'node:worker_threads';

/**
 * The shared control block between gemm-threads.ts and a gemm worker: Int32 slots, then
 * Float64 parameters of the current job.
 */
export const CTL_JOB = 0; // last job posted (the caller increments it and notifies)
export const CTL_DONE = 1; // last job finished (the worker stores it and notifies)
export const CTL_STATUS = 2; // 0 when the last job succeeded, 1 when it threw
export const CTL_READY = 3; // 1 once the worker waits for jobs
export const CTL_INTS = 4;

/**
 * Parameters: transA, transB, M, N, K, alpha, jBegin, jEnd, offset of B in the data buffer
 * (A starts at 0), offset of the worker's C strip [M, jEnd − jBegin], data buffer generation.
 */
export const PARAM_COUNT = 11;

export interface GemmWorkerData {
  control: SharedArrayBuffer; // [CTL_INTS] Int32 then [PARAM_COUNT] Float64
  port: MessagePort; // receives { generation, buffer } when the data buffer is replaced
}
