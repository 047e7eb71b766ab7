/**
 * Safetensors header parsing on a large valid header and on hostile ones: time (MB/s of header)
 * and heap growth of parseSafetensors (accept, or reject with a SafetensorsError). Each case runs
 * in its own Node process; a second run of each caps the old space at 3x the header (plus the
 * process's own heap) to check the heap bound directly. Writes bench/io/RESULTS.md.
 * Usage: node bench/io/safetensors-header.mjs [--mb 100]   (needs a built @recurrent/core)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const MB = 1e6;

/** Header texts of about `size` bytes. */
const CASES = {
  'valid: tensor entries': (size) => {
    const parts = [];
    let len = 2;
    for (let i = 0; ; i++) {
      const e = `"layer.${i}.weight":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
      if (len + e.length + 1 > size) break;
      parts.push(e);
      len += e.length + 1;
    }
    return `{${parts.join(',')}}`;
  },
  'valid: one 100 MB metadata string': (size) => `{"__metadata__":{"note":"${'x'.repeat(size - 30)}"}}`,
  'valid: entry with 64-deep arrays, repeated': (size) => {
    const unit = `${'['.repeat(61)}${']'.repeat(61)}`; // depth 3 + 61 = 64
    return `{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":[${Array(Math.floor(size / (unit.length + 1))).fill(unit).join(',')}]}}`;
  },
  '20,000 nested objects': () => `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
  '100,000 nested [': () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  'duplicate key after 100 MB of unique metadata keys': (size) => {
    const parts = [];
    let len = 40;
    for (let i = 0; len < size; i++) {
      const e = `"key${i}":""`;
      parts.push(e);
      len += e.length + 1;
    }
    return `{"__metadata__":{${parts.join(',')},"key0":""}}`;
  },
  'duplicate keys everywhere (first one rejects)': (size) => `{"__metadata__":{${Array(Math.floor(size / 7)).fill('"k":""').join(',')}}}`,
};

if (argv[0] === '--child') {
  const { parseSafetensors } = await import('@recurrent/core');
  const [, name, size] = argv;
  let text = CASES[name](Number(size));
  const json = Buffer.from(text);
  text = undefined;
  const bytes = Buffer.alloc(8 + json.length); // off the V8 heap, like a file read
  bytes.writeBigUInt64LE(BigInt(json.length));
  json.copy(bytes, 8);
  globalThis.gc();
  const before = v8.getHeapStatistics().used_heap_size;
  const t0 = process.hrtime.bigint();
  let outcome;
  let result;
  try {
    result = parseSafetensors(bytes);
    outcome = `accepted (${result.tensors.size} tensors)`;
  } catch (err) {
    outcome = `${err.name}: ${err.message.slice(0, 110)}${err.message.length > 110 ? '…' : ''}`;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const afterNoGc = v8.getHeapStatistics().used_heap_size;
  globalThis.gc();
  const retained = v8.getHeapStatistics().used_heap_size;
  process.stdout.write(`${JSON.stringify({ headerBytes: json.length, seconds, outcome, growthNoGc: afterNoGc - before, retained: retained - before, keep: result !== undefined })}\n`);
  process.exit(0);
}

const mbIndex = argv.indexOf('--mb');
const size = Math.round((mbIndex >= 0 ? Number(argv[mbIndex + 1]) : 100) * MB) - 64;

function run(name, extra = []) {
  const res = spawnSync(process.execPath, ['--expose-gc', ...extra, fileURLToPath(import.meta.url), '--child', name, String(size)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 600_000,
    cwd: here,
  });
  const last = (res.stdout ?? '').trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    return { failed: (res.stderr ?? '').trim().split('\n').filter((l) => /Error|heap/i.test(l)).slice(-1)[0] ?? `exit ${res.status} ${res.signal ?? ''}` };
  }
}

const rows = [];
for (const name of Object.keys(CASES)) {
  process.stderr.write(`${name} ... `);
  const r = run(name);
  if (r.failed !== undefined) {
    process.stderr.write(`FAILED ${r.failed}\n`);
    rows.push(`| ${name} | — | — | — | — | — | failed: ${r.failed} |`);
    continue;
  }
  // Cap the old space at 3x the header plus 32 MB for the process itself (node, the module, the input's text being built).
  const capMB = Math.ceil((3 * r.headerBytes) / 2 ** 20) + 32;
  const capped = run(name, [`--max-old-space-size=${capMB}`]);
  const fits = capped.failed === undefined ? `yes (${capMB} MiB)` : `no (${capMB} MiB: ${capped.failed.slice(0, 60)})`;
  const mbps = r.headerBytes / MB / r.seconds;
  process.stderr.write(`${r.seconds.toFixed(2)} s, ${mbps.toFixed(0)} MB/s, ${r.outcome.slice(0, 60)}\n`);
  rows.push(
    `| ${name} | ${(r.headerBytes / MB).toFixed(2)} | ${(r.seconds * 1000).toFixed(0)} | ${mbps.toFixed(0)} | ${(r.growthNoGc / r.headerBytes).toFixed(2)}× | ${(r.retained / r.headerBytes).toFixed(2)}× | ${fits} | ${r.outcome.replace(/\|/g, '\\|')} |`,
  );
}

const load = os.loadavg()[0].toFixed(2);
const out = `# Safetensors header parsing

Generated by \`node bench/io/safetensors-header.mjs\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}; load average ${load} at the end (shared machine: times are noisy).

Each case is one \`parseSafetensors\` call on a file whose header is the given text (the file's bytes sit in a Buffer, off the V8 heap), in its own process. MB/s is header bytes over wall time, accepted or rejected. Heap growth is V8's used heap right after the call (no GC forced: includes garbage) and after a full GC (what the result keeps), both relative to the header's size. "Fits in 3×" reruns the case with the old space capped at 3× the header plus 32 MiB for the process itself.

| header | MB | ms | MB/s | heap growth, no GC | retained | fits in 3× | outcome |
| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |
${rows.join('\n')}
`;
writeFileSync(path.join(here, 'RESULTS.md'), out);
process.stderr.write(`wrote ${path.join(here, 'RESULTS.md')}\n`);
