/**
 * Issue 3 benchmark: recurrent's native backend against PyTorch (CPU, one thread) and ONNX
 * Runtime for Node (one intra-op thread), side by side in one run:
 *   - training step (forward, BPTT, all gradients), T 64, B 32, I 128, H 256, LSTM/GRU/RNN;
 *   - LSTM inference latency, B 1, T 128, I 64, H 256, in µs per step;
 *   - small LSTM (I = H = 32, B 1, T 64), training step per sequence;
 *   - the native LSTM training step on two threads against one;
 *   - peak resident memory of the LSTM training step (VmHWM of a child process minus that of a
 *     child that only loaded the modules).
 * Every peer runs in its own child process (peers/*). Rounds (three by default) alternate the
 * peers so a burst of load from elsewhere hits them alike; a case's median is over all rounds.
 * Prints the results and writes bench/native/RESULTS.md (lib/report.mjs).
 * Usage: node bench/native/run.mjs [--rounds N] [--no-torch] [--no-ort]
 *   env RECURRENT_BENCH_PYTHON   python with torch (default /usr/bin/python3: Debian's python3-torch)
 *   env RECURRENT_BENCH_OPENBLAS folder holding an optimised libblas.so.3 for torch
 *                                (default: .cache/openblas from setup-openblas.sh, then the system's)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startContention } from './lib/contention.mjs';
import { INFER, REPS, SMALL, STEP, TRAIN } from './lib/problems.mjs';
import { resultsMarkdown } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const roundsArg = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 3;
if (!Number.isInteger(roundsArg) || roundsArg < 1) throw new RangeError(`run.mjs: --rounds expects a positive integer, got ${argv[argv.indexOf('--rounds') + 1]}`);
const rounds = roundsArg;
const useTorch = !argv.includes('--no-torch');
const useOrt = !argv.includes('--no-ort');
const config = JSON.stringify({ train: TRAIN, infer: INFER, step: STEP, small: SMALL, reps: REPS });
const notes = [];
const failures = [];

// ---------------------------------------------------------------------------------------------
// Children

/**
 * Runs one child and returns its last stdout line as JSON (plus othersShare: the share of the
 * CPUs other processes used meanwhile; stderr: its tail), or { failed, label, why }.
 * env entries set to undefined are removed from the child's environment.
 */
function runChild(label, command, args, env = {}) {
  process.stderr.write(`bench/native: ${label} ... `);
  const t0 = performance.now();
  const othersShare = startContention();
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const res = spawnSync(command, args, { cwd: here, encoding: 'utf8', timeout: 300_000, maxBuffer: 16 << 20, env: childEnv });
  const others = othersShare();
  const last = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const out = JSON.parse(last);
    out.othersShare = others;
    out.stderr = (res.stderr ?? '').slice(-4096);
    const busy = others === null ? '' : `; other processes used ${(others * 100).toFixed(0)}% of the CPUs`;
    process.stderr.write(`${out.unavailable ? `unavailable (${out.unavailable})` : 'done'} in ${((performance.now() - t0) / 1e3).toFixed(1)} s${busy}\n`);
    return out;
  } catch {
    const why = res.error ? String(res.error) : (res.stderr ?? '').trim().split('\n').slice(-4).join(' | ');
    process.stderr.write(`FAILED: ${why}\n`);
    return { failed: true, label, why };
  }
}

const nativeChild = (mode) => runChild(`native ${mode}`, process.execPath, [path.join(here, 'peers/native.mjs'), '--mode', mode, '--config', config]);
const ortChild = () => runChild('onnxruntime-node inference', process.execPath, [path.join(here, 'peers/ort.mjs'), '--config', config]);

/** The folder of an optimised libblas.so.3 for torch, or null (torch then uses the system's). */
function findOpenBlas() {
  const candidates = [process.env.RECURRENT_BENCH_OPENBLAS];
  const cache = path.join(here, '.cache/openblas/usr/lib');
  if (existsSync(cache)) for (const arch of readdirSync(cache)) candidates.push(path.join(cache, arch, 'openblas-pthread'));
  candidates.push('/usr/lib/x86_64-linux-gnu/openblas-pthread', '/usr/lib/x86_64-linux-gnu/openblas-openmp');
  return candidates.find((dir) => dir && existsSync(path.join(dir, 'libblas.so.3'))) ?? null;
}

/** The environment of the torch child, or null when PyTorch is absent or not wanted. */
function torchEnvironment(python) {
  if (!useTorch) {
    notes.push('PyTorch skipped (--no-torch).');
    return null;
  }
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = (probe.stderr || String(probe.error)).trim().split('\n').pop();
    notes.push(`PyTorch skipped: \`${python} -c "import torch"\` failed (${why}); on Debian: apt-get install python3-torch.`);
    return null;
  }
  // One thread everywhere: torch.set_num_threads(1) in the child, and the BLAS's own pool.
  // OpenBLAS picks its kernels for this CPU, as for a user who set nothing: an inherited
  // OPENBLAS_CORETYPE (e.g. Haswell, AVX2 only) would slow PyTorch down on an AVX-512 machine.
  // OPENBLAS_VERBOSE=2 makes it print the kernels it chose ("Core: ...") for the report.
  const env = {
    OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1',
    OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined, OPENBLAS_VERBOSE: '2',
  };
  for (const k of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']) {
    if (process.env[k]) notes.push(`${k}=${process.env[k]} was set in the environment; the bench removes it for the torch child so OpenBLAS detects this CPU itself.`);
  }
  const blasDir = findOpenBlas();
  if (blasDir) {
    env.LD_LIBRARY_PATH = [blasDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    notes.push("PyTorch runs on OpenBLAS (on its child's LD_LIBRARY_PATH only): Debian's python3-torch links libblas.so.3, which is the netlib reference BLAS unless an optimised one is installed, an unfairly slow peer.");
  } else {
    notes.push('No OpenBLAS found for PyTorch (run bench/native/setup-openblas.sh): it ran on the system libblas.so.3 (named below).');
  }
  return env;
}

const python = process.env.RECURRENT_BENCH_PYTHON ?? '/usr/bin/python3';
const torchEnv = torchEnvironment(python);
if (!useOrt) notes.push('ONNX Runtime skipped (--no-ort).');
const torchChild = (mode) => runChild(`pytorch ${mode}`, python, [path.join(here, 'peers/torch_peer.py'), mode, config], torchEnv);

// ---------------------------------------------------------------------------------------------
// Measure

const started = new Date();
const loadStart = os.loadavg();
const suites = { native: [], pytorch: [], ort: [] }; // one suite result per round
const keep = (peer, out) => {
  if (out.failed) failures.push(out);
  else if (out.unavailable) notes.push(`${peer}: ${out.unavailable}`);
  else suites[peer].push(out);
};
for (let r = 0; r < rounds; r++) {
  keep('native', nativeChild('suite'));
  if (torchEnv) keep('pytorch', torchChild('suite'));
  if (useOrt) keep('ort', ortChild());
}

// A peer whose inference output differs from the float64 reference computes something else.
const OUTPUT_TOLERANCE = 1e-4;
for (const peer of ['native', 'ort']) {
  for (const s of suites[peer]) {
    if (!(s.inferMaxDiff <= OUTPUT_TOLERANCE)) failures.push({ label: `${peer} inference output`, why: `max |Δ| ${s.inferMaxDiff} from the float64 reference, above ${OUTPUT_TOLERANCE}` });
  }
}

// Another build of the addon between rounds (it is being worked on) would mix two programs.
const builds = new Set(suites.native.map((s) => s.addon?.sha256 ?? 'unknown'));
if (builds.size > 1) failures.push({ label: 'native addon', why: `the addon changed between rounds (sha256 ${[...builds].join(', ')}): rerun` });

/** Peak RSS of the training step above the module-loading baseline; null when not measured. */
function memory(child) {
  const base = child('mem-baseline');
  const run = child('mem');
  for (const out of [base, run]) if (out.failed) failures.push(out);
  if (base.failed || run.failed || base.unavailable || run.unavailable) return null;
  return { baseMiB: base.vmhwmKiB / 1024, peakMiB: run.vmhwmKiB / 1024, extraMiB: (run.vmhwmKiB - base.vmhwmKiB) / 1024 };
}
const mem = { native: memory(nativeChild), pytorch: torchEnv ? memory(torchChild) : null };

const md = resultsMarkdown({
  suites, mem, notes, failures, rounds, started, loadStart, loadEnd: os.loadavg(),
  seconds: (Date.now() - started.getTime()) / 1e3, benchDir: here,
});
writeFileSync(path.join(here, 'RESULTS.md'), md);
process.stdout.write(`\n${md}\nwrote ${path.join(here, 'RESULTS.md')}\n`);
process.exitCode = failures.length ? 1 : 0;
