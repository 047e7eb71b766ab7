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

/** Parameters of a job, indices into the Float64 part of the control block. */
export const P_PACKED_ID = 0; // 0: op(B) is copied in the data buffer at P_OFF_B; else the PackedB id
export const P_TRANS_A = 1;
export const P_TRANS_B = 2;
export const P_M = 3;
export const P_N = 4;
export const P_K = 5;
export const P_ALPHA = 6;
export const P_J_BEGIN = 7;
export const P_J_END = 8;
export const P_OFF_B = 9; // offset of B's copy in the data buffer (A's starts at 0)
export const P_OFF_C = 10; // offset of the worker's C strip [M, jEnd − jBegin]
export const P_GENERATION = 11; // generation of the data buffer
export const PARAM_COUNT = 12;

/** What the caller posts on the port before a job that needs it. */
export type GemmWorkerMessage =
  | { kind: 'data'; generation: number; buffer: SharedArrayBuffer }
  | { kind: 'packed'; id: number; buffer: SharedArrayBuffer };

export interface GemmWorkerData {
  control: SharedArrayBuffer; // [CTL_INTS] Int32 then [PARAM_COUNT] Float64
  port: MessagePort; // receives GemmWorkerMessage
}
