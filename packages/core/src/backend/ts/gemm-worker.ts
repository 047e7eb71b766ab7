import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { gemmBlockedColumns, gemmPackedColumns } from './gemm-blocked.js';
import { NR, roundUp } from './gemm-pack.js';
import {
  CTL_DONE, CTL_INTS, CTL_JOB, CTL_READY, CTL_STATUS, PARAM_COUNT,
  P_ALPHA, P_GENERATION, P_J_BEGIN, P_J_END, P_K, P_M, P_N, P_OFF_B, P_OFF_C, P_PACKED_ID, P_TRANS_A, P_TRANS_B,
  type GemmWorkerData, type GemmWorkerMessage,
} from './gemm-worker-protocol.js';

/**
 * A gemm worker thread (started by gemm-threads.ts): waits for a job, computes
 * alpha·op(A)·op(B) for its column strip from the float64 copies in the shared data buffer
 * (or a shared packed B) into its own strip of that buffer, reports, and waits again.
 * It only ever sees Float64Array.
 */
const { control, port } = workerData as GemmWorkerData;
const ctl = new Int32Array(control, 0, CTL_INTS);
const params = new Float64Array(control, CTL_INTS * 4, PARAM_COUNT);
let data: Float64Array = new Float64Array(0);
let generation = -1;
let packed: Float64Array = new Float64Array(0);
let packedId = 0;

/** Takes the buffers the caller posted (always before the job that needs them) until we hold these. */
function sync(wantedGeneration: number, wantedPackedId: number): void {
  while (generation !== wantedGeneration || (wantedPackedId !== 0 && packedId !== wantedPackedId)) {
    const msg = receiveMessageOnPort(port);
    if (msg === undefined) throw new Error(`gemm worker: buffer (generation ${wantedGeneration}, packed ${wantedPackedId}) was not sent`);
    const m = msg.message as GemmWorkerMessage;
    if (m.kind === 'data') {
      data = new Float64Array(m.buffer);
      generation = m.generation;
    } else {
      packed = new Float64Array(m.buffer);
      packedId = m.id;
    }
  }
}

function runJob(): void {
  const id = params[P_PACKED_ID];
  const M = params[P_M], N = params[P_N], K = params[P_K], alpha = params[P_ALPHA];
  const jBegin = params[P_J_BEGIN], jEnd = params[P_J_END], offC = params[P_OFF_C];
  const transA = params[P_TRANS_A] === 1;
  sync(params[P_GENERATION], id);
  const width = jEnd - jBegin;
  const a = data.subarray(0, M * K); // [M, K] or [K, M]
  const c = data.subarray(offC, offC + M * width); // [M, width]
  if (id === 0) {
    const offB = params[P_OFF_B];
    const b = data.subarray(offB, offB + K * N); // [K, N] or [N, K]
    gemmBlockedColumns(transA, params[P_TRANS_B] === 1, M, N, K, alpha, a, b, 0, c, width, jBegin, jEnd, jBegin);
  } else {
    gemmPackedColumns(transA, M, K, alpha, a, packed, roundUp(N, NR), 0, c, width, jBegin, jEnd, jBegin);
  }
}

let seen = Atomics.load(ctl, CTL_JOB);
Atomics.store(ctl, CTL_READY, 1);
for (;;) {
  Atomics.wait(ctl, CTL_JOB, seen);
  seen = Atomics.load(ctl, CTL_JOB);
  try {
    runJob();
    Atomics.store(ctl, CTL_STATUS, 0);
  } catch {
    Atomics.store(ctl, CTL_STATUS, 1);
  }
  Atomics.store(ctl, CTL_DONE, seen);
  Atomics.notify(ctl, CTL_DONE);
}
