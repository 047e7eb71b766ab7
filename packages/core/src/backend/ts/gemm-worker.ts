import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { gemmBlockedColumns } from './gemm-blocked.js';
import { CTL_DONE, CTL_INTS, CTL_JOB, CTL_READY, CTL_STATUS, PARAM_COUNT, type GemmWorkerData } from './gemm-worker-protocol.js';

/**
 * A gemm worker thread (started by gemm-threads.ts): waits for a job, computes
 * alpha·op(A)·op(B) for its column strip from the float64 copies in the shared data buffer
 * into its own strip of that buffer, reports, and waits again. It only ever sees Float64Array.
 */
const { control, port } = workerData as GemmWorkerData;
const ctl = new Int32Array(control, 0, CTL_INTS);
const params = new Float64Array(control, CTL_INTS * 4, PARAM_COUNT);
let data: Float64Array = new Float64Array(0);
let generation = -1;

/** The data buffer of `wanted` generation; its message was posted before the job was. */
function dataOf(wanted: number): Float64Array {
  while (generation !== wanted) {
    const msg = receiveMessageOnPort(port);
    if (msg === undefined) throw new Error(`gemm worker: data buffer generation ${wanted} was not sent`);
    const m = msg.message as { generation: number; buffer: SharedArrayBuffer };
    data = new Float64Array(m.buffer);
    generation = m.generation;
  }
  return data;
}

let seen = Atomics.load(ctl, CTL_JOB);
Atomics.store(ctl, CTL_READY, 1);
for (;;) {
  Atomics.wait(ctl, CTL_JOB, seen);
  seen = Atomics.load(ctl, CTL_JOB);
  try {
    const M = params[2], N = params[3], K = params[4];
    const jBegin = params[6], jEnd = params[7], offB = params[8], offC = params[9];
    const buf = dataOf(params[10]);
    const width = jEnd - jBegin;
    gemmBlockedColumns(
      params[0] === 1, params[1] === 1, M, N, K, params[5],
      buf.subarray(0, M * K), // op(A) source [M, K] or [K, M]
      buf.subarray(offB, offB + K * N), // op(B) source [K, N] or [N, K]
      0,
      buf.subarray(offC, offC + M * width), // [M, width]
      width, jBegin, jEnd, jBegin,
    );
    Atomics.store(ctl, CTL_STATUS, 0);
  } catch {
    Atomics.store(ctl, CTL_STATUS, 1);
  }
  Atomics.store(ctl, CTL_DONE, seen);
  Atomics.notify(ctl, CTL_DONE);
}
