import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { FloatArray } from '../../dtype.js';
import { readEnvInt } from '../../env.js';
import { OptionError } from '../../errors.js';
import { gemmBlockedColumns, gemmPackedColumns } from './gemm-blocked.js';
import { NR, roundUp } from './gemm-pack.js';
import type { PackedB } from './gemm-packed.js';
import {
  CTL_DONE, CTL_INTS, CTL_JOB, CTL_READY, CTL_STATUS, PARAM_COUNT,
  P_ALPHA, P_GENERATION, P_J_BEGIN, P_J_END, P_K, P_M, P_N, P_OFF_B, P_OFF_C, P_PACKED_ID, P_TRANS_A, P_TRANS_B,
  type GemmWorkerData, type GemmWorkerMessage,
} from './gemm-worker-protocol.js';

/**
 * Optional multi-threaded GEMM: C's columns are split into strips, the calling thread computes
 * the first strip in place and each worker thread one other strip. Workers cannot see the
 * caller's arrays, so A and B are copied (as float64) into one SharedArrayBuffer (a PackedB
 * already lives in one and is posted to a worker once) and each worker writes
 * alpha·op(A)·op(B) for its strip into that buffer; the caller then merges with beta·C.
 * The call stays synchronous: the caller blocks in Atomics.wait until the workers are done.
 * Off (1 thread) unless setGemmThreads or the RECURRENT_GEMM_THREADS variable asks: on a
 * machine whose other cores are busy, waiting for a descheduled worker costs more than it saves.
 */

/** Products smaller than this stay on one thread: waking a worker and copying A and B cost ~0.1 ms. */
const MIN_PARALLEL_FLOPS = 4e6;
/** Narrower strips than this are not worth a thread (a multiple of NR). */
const MIN_STRIP_COLUMNS = 24;
/** A worker that has not answered in this long is taken as lost: its strip is recomputed here. */
const WORKER_TIMEOUT_MS = 60_000;

interface GemmWorker {
  worker: Worker;
  port: MessagePort; // sends the shared data buffer when it is replaced
  ctl: Int32Array; // [CTL_INTS]
  params: Float64Array; // [PARAM_COUNT]
  generation: number; // generation of the data buffer this worker was sent
  packedId: number; // the PackedB this worker was sent last (0: none)
}

let requested: number | null = null;
let workers: GemmWorker[] = [];
let data = new Float64Array(new SharedArrayBuffer(0)); // [A copy | B copy | C strips]
let dataGeneration = 0;

/**
 * Sets how many threads large GEMMs use (1 = the calling thread only). Workers start in the
 * background; until one is ready its strip is computed by the caller. Returns the number of
 * threads that can be used: 1 when the compiled worker module is not found.
 */
export function setGemmThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new OptionError(`setGemmThreads: threads must be an integer from 1 to 64, got ${String(threads)}`);
  }
  requested = threads;
  while (workers.length > threads - 1) {
    const w = workers.pop()!;
    void w.worker.terminate();
  }
  const url = threads > 1 ? workerUrl() : null;
  if (url === null) return 1 + workers.length;
  while (workers.length < threads - 1) workers.push(startWorker(url));
  return threads;
}

/** Threads large GEMMs use now (workers still starting included). */
export function gemmThreads(): number {
  return 1 + workers.length;
}

/** Workers that have started and wait for jobs. */
export function gemmWorkersReady(): number {
  return workers.filter((w) => Atomics.load(w.ctl, CTL_READY) === 1).length;
}

/** Threads RECURRENT_GEMM_THREADS asks for (1 when unset); EnvError on anything but 1 to 64. */
export function gemmThreadsFromEnv(): number {
  return readEnvInt('RECURRENT_GEMM_THREADS', { min: 1, max: 64 }) ?? 1;
}

/** The compiled worker beside this module, or (running from the TypeScript sources) its dist twin. */
function workerUrl(): URL | null {
  const here = new URL('./gemm-worker.js', import.meta.url);
  if (here.protocol !== 'file:') return null;
  const path = fileURLToPath(here);
  if (existsSync(path)) return here;
  const twin = path.replace(`${sep}src${sep}`, `${sep}dist${sep}`);
  return twin !== path && existsSync(twin) ? pathToFileURL(twin) : null;
}

function startWorker(url: URL): GemmWorker {
  const control = new SharedArrayBuffer(CTL_INTS * 4 + PARAM_COUNT * 8);
  const channel = new MessageChannel();
  const workerData: GemmWorkerData = { control, port: channel.port2 };
  const worker = new Worker(url, { workerData, transferList: [channel.port2] });
  worker.unref(); // an idle pool never keeps the process alive
  const entry: GemmWorker = { worker, port: channel.port1, ctl: new Int32Array(control, 0, CTL_INTS), params: new Float64Array(control, CTL_INTS * 4, PARAM_COUNT), generation: -1, packedId: 0 };
  worker.on('error', () => dropWorker(entry));
  worker.on('exit', () => dropWorker(entry));
  return entry;
}

function dropWorker(entry: GemmWorker): void {
  workers = workers.filter((w) => w !== entry);
}

function ensureData(length: number): void {
  if (data.length >= length) return;
  data = new Float64Array(new SharedArrayBuffer(Math.max(length, Math.floor(data.length * 1.5)) * 8));
  dataGeneration++;
}

/**
 * Computes C = alpha op(A) op(B) + beta C over several threads and returns true, or returns
 * false (having done nothing) when the product is too small or no worker is ready.
 * The caller has already handled M, N, K = 0 and alpha = 0.
 */
export function gemmParallel(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: FloatArray, // [M, K], or [K, M] when transA
  b: FloatArray, // [K, N], or [N, K] when transB
  beta: number,
  c: FloatArray, // [M, N]
): boolean {
  const plan = planStrips(M, N, K, M * K + K * N);
  if (plan === null) return false;
  const bLen = K * N;
  data.set(b.length === bLen ? b : b.subarray(0, bLen), M * K); // [K, N] or [N, K]
  return runStrips(plan, transA, transB, M, N, K, alpha, a, beta, c, null, (jBegin, jEnd, target, ldc, shift, bt) => {
    gemmBlockedColumns(transA, transB, M, N, K, alpha, a, b, bt, target, ldc, jBegin, jEnd, shift);
  });
}

/** gemmPackedB over several threads (op(B) is already shared); false when not worth it. */
export function gemmPackedParallel(
  transA: boolean,
  M: number,
  alpha: number,
  a: FloatArray, // [M, K], or [K, M] when transA
  b: PackedB, // op(B) [K, N]
  beta: number,
  c: FloatArray, // [M, N]
): boolean {
  const { K, N } = b;
  const plan = planStrips(M, N, K, M * K);
  if (plan === null) return false;
  const nPad = roundUp(N, NR);
  return runStrips(plan, transA, false, M, N, K, alpha, a, beta, c, b, (jBegin, jEnd, target, ldc, shift, bt) => {
    gemmPackedColumns(transA, M, K, alpha, a, b.data, nPad, bt, target, ldc, jBegin, jEnd, shift);
  });
}

interface StripPlan {
  bounds: number[]; // [parts + 1] column bounds; strip 0 is the caller's
  ready: GemmWorker[]; // the worker of strip p is ready[p − 1]
  offC: number; // where the workers' C strips start in the data buffer
}

/** Column strips for the ready workers, with the data buffer sized; null when one thread is better. */
function planStrips(M: number, N: number, K: number, inputLength: number): StripPlan | null {
  if (requested === null) setGemmThreads(gemmThreadsFromEnv());
  if (workers.length === 0 || 2 * M * N * K < MIN_PARALLEL_FLOPS) return null;
  const ready = workers.filter((w) => Atomics.load(w.ctl, CTL_READY) === 1);
  const parts = Math.min(ready.length + 1, Math.floor(N / MIN_STRIP_COLUMNS));
  if (parts < 2) return null;
  // Strips are whole NR-wide micro-panels except the last (packed B is split at panel edges).
  const bounds = [0];
  for (let p = 1; p < parts; p++) bounds.push(Math.min(N, roundUp(Math.round((N * p) / parts), NR)));
  bounds.push(N);
  ensureData(inputLength + M * (N - bounds[1]));
  return { bounds, ready, offC: inputLength };
}

type StripCompute = (jBegin: number, jEnd: number, target: FloatArray, ldc: number, cColShift: number, beta: number) => void;

function runStrips(
  plan: StripPlan,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: FloatArray,
  beta: number,
  c: FloatArray, // [M, N]
  packed: PackedB | null,
  compute: StripCompute,
): boolean {
  const { bounds, ready } = plan;
  const aLen = M * K;
  data.set(a.length === aLen ? a : a.subarray(0, aLen), 0); // [M, K] or [K, M]

  const jobs: { w: GemmWorker; job: number; jBegin: number; jEnd: number; offC: number }[] = [];
  let offC = plan.offC;
  for (let p = 1; p < bounds.length - 1; p++) {
    const w = ready[p - 1];
    if (w.generation !== dataGeneration) {
      w.port.postMessage({ kind: 'data', generation: dataGeneration, buffer: data.buffer as SharedArrayBuffer } satisfies GemmWorkerMessage);
      w.generation = dataGeneration;
    }
    if (packed !== null && w.packedId !== packed.id) {
      w.port.postMessage({ kind: 'packed', id: packed.id, buffer: packed.data.buffer as SharedArrayBuffer } satisfies GemmWorkerMessage);
      w.packedId = packed.id;
    }
    const jBegin = bounds[p];
    const jEnd = bounds[p + 1];
    const prm = w.params;
    prm[P_PACKED_ID] = packed === null ? 0 : packed.id;
    prm[P_TRANS_A] = transA ? 1 : 0;
    prm[P_TRANS_B] = transB ? 1 : 0;
    prm[P_M] = M;
    prm[P_N] = N;
    prm[P_K] = K;
    prm[P_ALPHA] = alpha;
    prm[P_J_BEGIN] = jBegin;
    prm[P_J_END] = jEnd;
    prm[P_OFF_B] = aLen;
    prm[P_OFF_C] = offC;
    prm[P_GENERATION] = dataGeneration;
    const job = Atomics.add(w.ctl, CTL_JOB, 1) + 1;
    Atomics.notify(w.ctl, CTL_JOB);
    jobs.push({ w, job, jBegin, jEnd, offC });
    offC += M * (jEnd - jBegin);
  }

  compute(0, bounds[1], c, N, 0, beta);

  for (const { w, job, jBegin, jEnd, offC: off } of jobs) {
    const width = jEnd - jBegin;
    if (!awaitJob(w, job) || Atomics.load(w.ctl, CTL_STATUS) !== 0) {
      // Lost or failed worker: never use it again, and compute its strip here.
      dropWorker(w);
      void w.worker.terminate();
      compute(jBegin, jEnd, c, N, 0, beta);
      continue;
    }
    for (let i = 0; i < M; i++) {
      const row = i * N + jBegin;
      const src = off + i * width;
      if (beta === 0) for (let j = 0; j < width; j++) c[row + j] = data[src + j];
      else for (let j = 0; j < width; j++) c[row + j] = data[src + j] + beta * c[row + j];
    }
  }
  return true;
}

function awaitJob(w: GemmWorker, job: number): boolean {
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(w.ctl, CTL_DONE);
    if (done === job) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(w.ctl, CTL_DONE, done, left);
  }
}
