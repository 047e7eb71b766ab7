// Run by src/worker-terminate.test.ts in a process of its own, so that an abort shows up as an
// exit code. Rounds of: a worker thread loads the addon and starts sequenceForwardAsync on an
// LSTM; the main thread terminates the worker 0–40 ms later, mostly while the kernel runs. In
// the first half of the rounds no other environment holds the addon (Node unloads an addon when
// the last environment that loaded it goes), in the second half the main thread does. Prints one
// JSON line: { rounds, terminatedMidCall, sameHalfway, sameAfter }.
//
//   node test/worker-terminate-child.mjs <addon.node> [rounds=100]
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const DIMS = { T: 200, B: 16, I: 32, H: 256 };

/** Deterministic LSTM arguments (the same in every thread). */
function lstmArgs({ T, B, I, H }) {
  const fill = (n, seed) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) / Math.sqrt(H));
  const variant = {
    peephole: false, coupled: false, noInputGate: false, noForgetGate: false, noOutputGate: false,
    noInputActivation: false, noOutputActivation: false, fullGateRecurrence: false,
  };
  return {
    T, B, I, H, cell: { kind: 'lstm', variant },
    x: fill(T * B * I, 1),
    weights: { wIh: fill(4 * H * I, 2), wHh: fill(4 * H * H, 3), bIh: fill(4 * H, 4), bHh: fill(4 * H, 5), wPeep: null, wGateRec: null },
    h0: fill(B * H, 6), c0: fill(B * H, 7), reverse: false, keepCache: false,
  };
}

const sameArrays = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const sameResult = (r, ref) => sameArrays(r.y, ref.y) && sameArrays(r.hN, ref.hN) && sameArrays(r.cN, ref.cN);

if (!isMainThread) {
  const binding = require(workerData.addon);
  const args = lstmArgs(DIMS);
  if (workerData.mode === 'reference') {
    const { y, hN, cN } = binding.sequenceForward(args);
    parentPort.postMessage({ y, hN, cN });
  } else {
    binding.sequenceForwardAsync(args).then(() => parentPort.postMessage('done'));
    parentPort.postMessage('started');
  }
} else {
  const addon = resolvePath(process.argv[2]);
  const rounds = Number(process.argv[3] ?? 100);
  const self = new URL(import.meta.url);

  /** The result of a worker that is left to finish (its exit unloads the addon when alone). */
  const referenceResult = () =>
    new Promise((resolve, reject) => {
      const w = new Worker(self, { workerData: { addon, mode: 'reference' } });
      let result;
      w.on('message', (m) => (result = m));
      w.on('error', reject);
      w.on('exit', () => resolve(result));
    });

  /** One round; true when the worker was terminated before its promise settled. */
  const terminatedRound = (delayMs) =>
    new Promise((resolve, reject) => {
      const w = new Worker(self, { workerData: { addon, mode: 'call' } });
      let done = false;
      w.on('error', reject);
      w.on('message', (m) => {
        if (m === 'done') done = true;
        else setTimeout(() => {
          const midCall = !done;
          w.terminate().then(() => resolve(midCall), reject);
        }, delayMs);
      });
    });

  const reference = await referenceResult();
  let terminatedMidCall = 0;
  let main = null;
  let sameHalfway = false;
  for (let round = 0; round < rounds; round++) {
    if (round === Math.floor(rounds / 2)) {
      main = require(addon);
      sameHalfway = sameResult(main.sequenceForward(lstmArgs(DIMS)), reference);
    }
    if (await terminatedRound(round % 41)) terminatedMidCall++;
  }
  const sameAfter = sameResult(main.sequenceForward(lstmArgs(DIMS)), reference);
  console.log(JSON.stringify({ rounds, terminatedMidCall, sameHalfway, sameAfter }));
}
