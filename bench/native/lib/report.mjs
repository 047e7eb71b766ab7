/**
 * Turns the children's results (run.mjs) into bench/native/RESULTS.md: environment, goals, one
 * table per figure of issue 3. Goals are judged on wall-clock medians; CPU-time medians are
 * shown beside them because the machine is shared (a one-thread run's CPU time does not grow
 * while it waits for a core). The two-thread goal is judged on the rounds in which other
 * processes left the second core free, when there are any (all rounds are shown too).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { INFER, INFER_SWEEP_H, REPS, SMALL, STEP, TRAIN, median, trainFlops } from './problems.mjs';

const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const times = (v) => (v === null ? '—' : `${v.toFixed(2)}×`);
const ratio = (slow, fast) => (slow === null || fast === null ? null : slow / fast);
const verdict = (met) => (met === null ? 'not measured' : met ? '**met**' : '**missed**');
const pct = (v) => `${(v * 100).toFixed(0)}%`;
const dimsText = ({ T, B, I, H }) => `T ${T}, B ${B}, I ${I}, H ${H}`;

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }));
    if (m) cpu = m[1].trim();
  } catch { /* no lscpu: keep os.cpus() */ }
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${os.platform()} ${os.arch()}`;
}

/**
 * suites: { native, pytorch, ort } (one result per round, each with cases (wall ms per run),
 * cpu (CPU ms per run) and othersShare); mem: { native, pytorch } (MiB, or null).
 */
export function resultsMarkdown({ suites, mem, notes, failures, rounds, started, loadStart, loadEnd, seconds, benchDir }) {
  /** Median over every round's runs of one case; kind 'cases' (wall) or 'cpu'. */
  const med = (peer, name, kind = 'cases') => {
    const all = suites[peer].flatMap((s) => s[kind]?.[name] ?? []);
    return all.length ? median(all) : null;
  };
  const native = suites.native[0] ?? null;
  const torch = suites.pytorch[0] ?? null;
  const ortRun = suites.ort[0] ?? null;
  const goals = []; // [goal, measured (wall), met, measured on CPU time or '—', met on CPU time or null]

  // Training step, large shape.
  const train = [
    `### Training step, one thread (${dimsText(TRAIN)}, float32)`,
    '',
    'Forward over the sequence + BPTT + gradients of all weights, of x and of the initial states (dy = ones); native through the Backend contract (sequenceForward with keepCache, sequenceBackward), PyTorch nn.LSTM/GRU/RNN forward and y.backward(ones). GFLOP/s counts 3 × 2·T·B·(I+H)·G·H.',
    '',
    '| model | native ms | native GFLOP/s | PyTorch ms | PyTorch GFLOP/s | native speed-up | CPU time: native ms | PyTorch ms | speed-up |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const model of TRAIN.models) {
    const name = `train-${model}`;
    const [n, p, nc, pc] = [med('native', name), med('pytorch', name), med('native', name, 'cpu'), med('pytorch', name, 'cpu')];
    const gf = (ms) => (ms === null ? null : trainFlops(model, TRAIN) / ms / 1e6);
    const up = ratio(p, n);
    train.push(`| ${model.toUpperCase()} | ${fmt(n)} | ${fmt(gf(n), 0)} | ${fmt(p)} | ${fmt(gf(p), 0)} | ${times(up)} | ${fmt(nc)} | ${fmt(pc)} | ${times(ratio(pc, nc))} |`);
    const upCpu = ratio(pc, nc);
    goals.push([`${model.toUpperCase()} training step ≥ 1.3× PyTorch`, times(up), up === null ? null : up >= 1.3, times(upCpu), upCpu === null ? null : upCpu >= 1.3]);
    goals.push([`${model.toUpperCase()} training step > 170 GFLOP/s`, fmt(gf(n), 0), n === null ? null : gf(n) > 170, fmt(gf(nc), 0), nc === null ? null : gf(nc) > 170]);
  }

  // Inference latency.
  const perStep = (peer, kind) => {
    const ms = med(peer, 'infer-lstm', kind);
    return ms === null ? null : (ms * 1e3) / INFER.T;
  };
  const [n, p, o] = ['native', 'pytorch', 'ort'].map((peer) => perStep(peer, 'cases'));
  const [nc, pc, oc] = ['native', 'pytorch', 'ort'].map((peer) => perStep(peer, 'cpu'));
  const n2 = med('native', 'infer-lstm-2threads') === null ? null : (med('native', 'infer-lstm-2threads') * 1e3) / INFER.T;
  const n2c = med('native', 'infer-lstm-2threads', 'cpu') === null ? null : (med('native', 'infer-lstm-2threads', 'cpu') * 1e3) / INFER.T;
  goals.push(['LSTM inference < 5 µs/step', `${fmt(n, 2)} µs`, n === null ? null : n < 5, `${fmt(nc, 2)} µs`, nc === null ? null : nc < 5]);
  const mm = med('pytorch', 'diag-step-product-mm');
  const mv = med('pytorch', 'diag-step-product-mv');
  const infer = [
    `### Inference latency, LSTM (${dimsText(INFER)}, one thread)`,
    '',
    'One call over the whole sequence, divided by T: native sequenceForward without cache; PyTorch nn.LSTM under torch.no_grad; ONNX Runtime the ONNX LSTM operator (model written by onnx/lstm-model.mjs), CPU provider, one intra-op thread, awaited session.run.',
    '',
    '| peer | µs / step | CPU µs / step | native speed-up |',
    '|---|---:|---:|---:|',
    `| native | ${fmt(n, 2)} | ${fmt(nc, 2)} | — |`,
    `| native, 2 threads (not the goal's one core) | ${fmt(n2, 2)} | ${fmt(n2c, 2)} | — |`,
    `| PyTorch | ${fmt(p, 2)} | ${fmt(pc, 2)} | ${times(ratio(p, n))} |`,
    `| ONNX Runtime | ${fmt(o, 2)} | ${fmt(oc, 2)} | ${times(ratio(o, n))} |`,
    '',
    'The two-thread row splits the hidden units over both cores with a barrier per step (its CPU time adds both threads); PyTorch and ONNX Runtime were not run on two threads.',
    '',
    `Outputs checked against a float64 reference LSTM before timing (same weights and input): native max |Δ| ${native ? native.inferMaxDiff.toExponential(1) : '—'}, ONNX Runtime max |Δ| ${ortRun ? ortRun.inferMaxDiff.toExponential(1) : '—'}.`,
  ];
  if (mm !== null) {
    infer.push('', `Of PyTorch's ${fmt(p, 1)} µs per step, the recurrent product h [1, ${INFER.H}] × W_hh^T [${INFER.H}, ${4 * INFER.H}] takes ${fmt(mm * 1e3)} µs as torch.mm (what nn.LSTM calls) and ${fmt(mv * 1e3)} µs as torch.mv, measured alone in the same child.`);
  }

  // Hidden-size sweep (native only): where W_hh leaves the L2 cache.
  const sweep = INFER_SWEEP_H.map((H) => {
    const ms = med('native', `diag-infer-lstm-h${H}`);
    const usStep = ms === null ? null : (ms * 1e3) / INFER.T;
    const bytes = 4 * H * H * 4; // W_hh float32
    return `| ${H} | ${fmt(bytes / 1024, 0)} | ${fmt(usStep, 2)} | ${usStep === null ? '—' : fmt(bytes / 1024 / usStep, 1)} |`;
  });
  infer.push(
    '',
    `Diagnostic, native only: the same inference at other hidden sizes (T ${INFER.T}, B 1, I ${INFER.I}). Each step reads all of W_hh; the core's L2 cache holds 1 MiB, which W_hh fills exactly at H = 256, so part of it comes from L3 every step. The KiB of W_hh read per µs shows the rate drop once W_hh no longer fits.`,
    '',
    '| H | W_hh KiB | µs / step | W_hh KiB per µs |',
    '|---:|---:|---:|---:|',
    ...sweep,
  );

  // One call per step.
  const [sc, scp, sco] = ['native', 'pytorch', 'ort'].map((peer) => med(peer, 'step-lstm'));
  const us = (ms) => (ms === null ? null : ms * 1e3);
  infer.push(
    '',
    `### Streaming inference, LSTM, one call per step (${dimsText(STEP)}, one thread)`,
    '',
    'The same layer called once per arriving step (a server answering each element, a sampling loop): every call pays its fixed costs, and the native backend reads W_hh in place instead of packing it (at most two row products per call).',
    '',
    '| peer | µs / call | native speed-up |',
    '|---|---:|---:|',
    `| native | ${fmt(us(sc), 1)} | — |`,
    `| PyTorch | ${fmt(us(scp), 1)} | ${times(ratio(scp, sc))} |`,
    `| ONNX Runtime | ${fmt(us(sco), 1)} | ${times(ratio(sco, sc))} |`,
  );

  // Small model.
  const [sn, sp, snc, spc] = [med('native', 'small-lstm'), med('pytorch', 'small-lstm'), med('native', 'small-lstm', 'cpu'), med('pytorch', 'small-lstm', 'cpu')];
  const smallUp = ratio(sp, sn);
  const smallUpCpu = ratio(spc, snc);
  goals.push(['Small LSTM training step ≥ 20× PyTorch', times(smallUp), smallUp === null ? null : smallUp >= 20, times(smallUpCpu), smallUpCpu === null ? null : smallUpCpu >= 20]);
  const small = [
    `### Small model, LSTM training step per sequence (${dimsText(SMALL)}, one thread)`,
    '',
    '| native ms | PyTorch ms | native speed-up | CPU time: native ms | PyTorch ms | speed-up |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(sn, 3)} | ${fmt(sp, 3)} | ${times(smallUp)} | ${fmt(snc, 3)} | ${fmt(spc, 3)} | ${times(ratio(spc, snc))} |`,
  ];

  // Threads: wall time only (CPU time adds the threads up). A round counts as quiet when other
  // processes used under QUIET of the CPUs: only then was the second core there to use.
  const QUIET = 0.15;
  const speedupOf = (list) => {
    const one = list.flatMap((s) => s.cases['train-lstm-paired-1thread']);
    const two = list.flatMap((s) => s.cases['train-lstm-paired-2threads']);
    return one.length && two.length ? { one: median(one), two: median(two), up: median(one) / median(two) } : null;
  };
  const all = speedupOf(suites.native);
  const quietRounds = suites.native.filter((s) => s.othersShare !== null && s.othersShare < QUIET);
  const quiet = speedupOf(quietRounds);
  const judged = quiet ?? all;
  goals.push([
    'Native LSTM training step, 2 threads ≥ 1.7× 1 thread',
    quiet ? `${times(quiet.up)} in quiet rounds (${times(all.up)} in all)` : `${times(all?.up ?? null)} (no quiet round)`,
    judged === null ? null : judged.up >= 1.7,
    '—',
    null,
  ]);
  const perRound = suites.native.map((s, r) => {
    const up = median(s.cases['train-lstm-paired-1thread']) / median(s.cases['train-lstm-paired-2threads']);
    return `round ${r + 1}: ${up.toFixed(2)}× (other processes used ${s.othersShare === null ? '?' : pct(s.othersShare)} of the CPUs)`;
  });
  // CPU ms per wall ms of the two-thread runs: 2 when both threads worked throughout.
  const busyThreads = (list) => {
    const cpu = list.flatMap((s) => s.cpu['train-lstm-paired-2threads']);
    const wall = list.flatMap((s) => s.cases['train-lstm-paired-2threads']);
    return wall.length ? median(cpu) / median(wall) : null;
  };
  const row = (label, r, list) => `| ${label} | ${list.length} | ${r ? fmt(r.one) : '—'} | ${r ? fmt(r.two) : '—'} | ${times(r?.up ?? null)} | ${fmt(busyThreads(list), 2)} |`;
  const threads = [
    `### Both cores: native LSTM training step (${dimsText(TRAIN)})`,
    '',
    `One and two threads alternate run by run in one process, so both see the same load from elsewhere (pool size reported for the two-thread runs: ${native?.threads2 ?? '—'}). Quiet rounds: other processes used under ${pct(QUIET)} of the CPUs, so the second core was free; the goal is judged on them when there are any.`,
    '',
    '| rounds | count | 1 thread ms | 2 threads ms | speed-up | threads busy (CPU / wall, 2 threads) |',
    '|---|---:|---:|---:|---:|---:|',
    row('quiet', quiet, quietRounds),
    row('all', all, suites.native),
    '',
    `Per round: ${perRound.join('; ') || '—'}. The pool's worker sleeps between parallel sections and a recurrent step's section is short, so when the other core is busy the worker likely wakes too late to take a task (threads busy near 1).`,
  ];

  // Memory.
  const memRow = (name, m) => `| ${name} | ${m ? fmt(m.baseMiB) : '—'} | ${m ? fmt(m.peakMiB) : '—'} | ${m ? fmt(m.extraMiB) : '—'} |`;
  const memory = [
    `### Peak resident memory, LSTM training step (${dimsText(TRAIN)})`,
    '',
    `VmHWM of a child that ran ${REPS.memSteps} training steps (inputs, weights, cache and gradients included) minus that of a child that only loaded the modules (node + @recurrent/core + @recurrent/native; python + torch).`,
    '',
    '| peer | baseline MiB | peak MiB | training step MiB |',
    '|---|---:|---:|---:|',
    memRow('native', mem.native),
    memRow('PyTorch', mem.pytorch),
    '',
    `PyTorch / native: ${times(mem.native && mem.pytorch ? mem.pytorch.extraMiB / mem.native.extraMiB : null)} (no goal was set).`,
  ];

  const othersByPeer = ['native', 'pytorch', 'ort']
    .map((peer) => [peer, suites[peer].map((s) => s.othersShare).filter((v) => v !== null)])
    .filter(([, v]) => v.length)
    .map(([peer, v]) => `${peer} ${v.map(pct).join(', ')}`)
    .join('; ');
  const blas = (torch?.blas ?? []).filter((lib) => /blas/.test(lib)).map((lib) => lib.replace(benchDir, 'bench/native'));
  const blasCore = /Core: (\S+)/.exec(torch?.stderr ?? '')?.[1];
  if (blasCore) blas.push(`OpenBLAS kernels ${blasCore}`);
  const load = (l) => l.map((v) => v.toFixed(2)).join(' / ');
  const env = [
    `- Machine: ${machine()}. Shared with other engineers' builds and tests: load average ${load(loadStart)} at start, ${load(loadEnd)} at end; share of the CPUs other processes used while each suite ran, round by round: ${othersByPeer || 'unknown'}.`,
    `- Node ${process.version}; native backend ISA **${native?.isa ?? '—'}** (available: ${native?.availableIsas?.join(', ') ?? '—'}); addon ${native?.addon ? `${native.addon.file.replace(/^.*\/native\//, 'native/')} (sha256 ${native.addon.sha256}…, built ${native.addon.mtime.replace(/\.\d+Z$/, 'Z')})` : '—'}.`,
    `- PyTorch ${torch ? `${torch.torch}, ${torch.threads} thread, BLAS ${blas.join(', ') || 'unknown'}` : '— (not run)'}.`,
    `- ONNX Runtime for Node ${ortRun?.version ?? '— (not run)'}.`,
    `- ${rounds} rounds alternating the peers; per round: training ${REPS.train.reps} runs after ${REPS.train.warmup} warm-up (threads: ${REPS.threads.reps} pairs), inference ${REPS.infer.reps} after ${REPS.infer.warmup}, small model ${REPS.small.reps} after ${REPS.small.warmup}. Medians over all rounds' runs.`,
    `- Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')} with \`node bench/native/run.mjs\` (${seconds.toFixed(0)} s).`,
  ];

  return [
    '# Native backend against PyTorch and ONNX Runtime (issue 3)',
    '',
    'Written by `bench/native/run.mjs`; every number below was measured in the run it describes.',
    '',
    ...env,
    ...(notes.length ? ['', '**Notes**', '', ...notes.map((t) => `- ${t}`)] : []),
    ...(failures.length ? ['', '**Failed**', '', ...failures.map((f) => `- ${f.label}: ${f.why}`)] : []),
    '',
    '### Goals',
    '',
    'Judged on wall-clock medians. The CPU-time column repeats the one-thread figures on CPU time, which does not grow while a process waits for a core (shared caches and memory still slow it): where the columns disagree, the wall-clock figure was most likely inflated by waiting for a core.',
    '',
    '| goal | measured | verdict | on CPU time | verdict on CPU time |',
    '|---|---:|---|---:|---|',
    ...goals.map(([g, m, met, mc, metc]) => `| ${g} | ${m} | ${verdict(met)} | ${mc} | ${mc === '—' ? '—' : verdict(metc)} |`),
    '',
    ...[train, infer, small, threads, memory].flatMap((s) => [...s, '']),
  ].join('\n');
}
