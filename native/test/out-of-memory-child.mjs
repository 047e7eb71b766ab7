// Run by src/out-of-memory.test.ts under `ulimit -v 3000000` (about 2.9 GiB of address space):
// calls whose outputs or workspace cannot be allocated must throw a RangeError naming the size
// (V8's ArrayBuffer::New would end the process), and the addon must work afterwards. Prints one
// JSON line per call: { call, error: { name, message } | null }, then { call: 'afterwards', ok }.
//
//   bash -c 'ulimit -v 3000000; node test/out-of-memory-child.mjs <addon.node>'
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const binding = createRequire(import.meta.url)(resolve(process.argv[2]));

const variant = {
  peephole: false, coupled: false, noInputGate: false, noForgetGate: false, noOutputGate: false,
  noInputActivation: false, noOutputActivation: false, fullGateRecurrence: false,
};
const fill = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.1);
const lstmArgs = (T, B, I, H, keepCache) => ({
  T, B, I, H, cell: { kind: 'lstm', variant },
  x: fill(T * B * I),
  weights: { wIh: fill(4 * H * I), wHh: fill(4 * H * H), bIh: null, bHh: null, wPeep: null, wGateRec: null },
  h0: fill(B * H), c0: fill(B * H), reverse: false, keepCache,
});

async function report(call, run) {
  let error = null;
  try {
    await run();
  } catch (e) {
    error = { name: e.constructor.name, message: e.message };
  }
  console.log(JSON.stringify({ call, error }));
}

// 2^20 ids × E = 1024: a 4 GiB output.
await report('embeddingForward', () => binding.embeddingForward(fill(4 * 1024), new Int32Array(2 ** 20), 4, 1024));
{
  // T 1024, B 256, H 1024: y is 1 GiB, the cache 7 GiB (an output with keepCache, the
  // workspace without it; the async variant allocates that workspace on its worker thread).
  const big = (keepCache) => lstmArgs(1024, 256, 1, 1024, keepCache);
  await report('sequenceForward keepCache', () => binding.sequenceForward(big(true)));
  await report('sequenceForward', () => binding.sequenceForward(big(false)));
  await report('sequenceForwardAsync', () => binding.sequenceForwardAsync(big(false)));
}

// Afterwards: small calls still give the right results.
const table = fill(4 * 8);
const ids = Int32Array.from([3, 0, 2]);
const rows = binding.embeddingForward(table, ids, 4, 8);
const embeddingOk = [...ids].every((id, n) => rows.subarray(n * 8, n * 8 + 8).every((v, j) => v === table[id * 8 + j]));
const small = lstmArgs(5, 3, 4, 8, false);
const sync = binding.sequenceForward(small);
const async = await binding.sequenceForwardAsync(small);
const sequenceOk = sync.y.length === 5 * 3 * 8 && sync.y.every((v, i) => Number.isFinite(v) && v === async.y[i]);
console.log(JSON.stringify({ call: 'afterwards', ok: embeddingOk && sequenceOk }));
