import { tsBackend, type FloatArray, type SequenceGrads, type UnaryOp } from '@recurrent/core';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ALL_CELLS, f64, native, randF32, relErr, rng, sequenceCase, toFloat64 } from '../test/helpers.js';
import { packageRoot } from './binding.js';

/**
 * Every kernel of the native backend against the TypeScript backend in float64, at every ISA
 * level this CPU has. Error = max |native − ts64| / max |ts64| per output tensor, ≤ 1e-5.
 */

const TOL = 1e-5;
const backend = native();
const ISAS = backend.availableIsas;

function expectClose(name: string, ours: FloatArray | null, ref: FloatArray | null): void {
  if (ref === null) {
    expect(ours, name).toBeNull();
    return;
  }
  expect(ours, name).not.toBeNull();
  expect(ours, name).toBeInstanceOf(Float32Array);
  const err = relErr(ours!, ref);
  expect(err, `${name}: error ${err}`).toBeLessThanOrEqual(TOL);
}

const GRAD_NAMES: (keyof SequenceGrads)[] = ['dx', 'dh0', 'dc0', 'dWIh', 'dWHh', 'dBIh', 'dBHh', 'dWPeep', 'dWGateRec'];

// Shapes: a small one, and one whose sizes cross every micro-tile edge (B not a multiple of the
// tile rows, H and 4H not multiples of 16 or 32, I odd). The last three multiply by W_hh in
// place instead of packing it (at most two row products: gemm.h, kInPlaceMaxProducts).
const SHAPES = [
  { T: 4, B: 3, I: 5, H: 6 },
  { T: 3, B: 13, I: 19, H: 37 },
  { T: 1, B: 1, I: 19, H: 37 },
  { T: 2, B: 1, I: 3, H: 21 },
  { T: 1, B: 2, I: 7, H: 16 },
];

describe.each(ISAS)('isa %s', (isa) => {
  const use = () => backend.setIsa(isa);

  describe('sequence kernels', () => {
    for (const { name, cell } of ALL_CELLS) {
      for (const [si, dims] of SHAPES.entries()) {
        for (const reverse of [false, true]) {
          const bias = !(si === 1 && reverse); // one case per cell without biases
          it(`${name} ${JSON.stringify(dims)} reverse=${reverse} bias=${bias}`, () => {
            use();
            const c = sequenceCase(1000 + si * 7 + (reverse ? 1 : 0), cell, dims, { reverse, bias });
            const fwd = backend.sequenceForward(c.args);
            const args64 = toFloat64(c.args);
            const ref = tsBackend.sequenceForward(args64);
            expectClose('y', fwd.y, ref.y);
            expectClose('hN', fwd.hN, ref.hN);
            expectClose('cN', fwd.cN, ref.cN);
            const inference = backend.sequenceForward({ ...c.args, keepCache: false }); // skips the backward's copies
            expect(inference.cache).toBeNull();
            expectClose('y (no cache)', inference.y, ref.y);
            expectClose('hN (no cache)', inference.hN, ref.hN);
            const grads = backend.sequenceBackward({ forward: c.args, cache: fwd.cache!, dy: c.dy, dhN: c.dhN, dcN: c.dcN });
            const refGrads = tsBackend.sequenceBackward({ forward: args64, cache: ref.cache!, dy: f64(c.dy), dhN: f64(c.dhN), dcN: f64(c.dcN) });
            for (const g of GRAD_NAMES) expectClose(g, grads[g], refGrads[g]);
          });
        }
      }
    }

    it('backward without dy / dhN / dcN, and inference without a cache', () => {
      use();
      const c = sequenceCase(77, ALL_CELLS[3].cell, { T: 5, B: 2, I: 3, H: 8 });
      const fwd = backend.sequenceForward(c.args);
      const ref = tsBackend.sequenceForward(toFloat64(c.args));
      const g = backend.sequenceBackward({ forward: c.args, cache: fwd.cache!, dy: null, dhN: c.dhN, dcN: null });
      const r = tsBackend.sequenceBackward({ forward: toFloat64(c.args), cache: ref.cache!, dy: null, dhN: f64(c.dhN), dcN: null });
      for (const n of GRAD_NAMES) expectClose(n, g[n], r[n]);
      const inf = backend.sequenceForward({ ...c.args, keepCache: false });
      expect(inf.cache).toBeNull();
      expectClose('y (no cache)', inf.y, ref.y);
    });
  });

  describe('dense kernels', () => {
    const rand = rng(5);
    const GEMM_SHAPES = [
      [1, 1, 1], [3, 5, 7], [13, 37, 19], [1, 1024, 256], [50, 33, 600], [8, 64, 0],
    ] as const;
    for (const [M, N, K] of GEMM_SHAPES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          it(`gemm M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`, () => {
            use();
            const a = randF32(rand, M * K), b = randF32(rand, K * N), c = randF32(rand, M * N);
            for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
              const ours = c.slice();
              const ref = f64(c)!;
              backend.gemm({ transA, transB, M, N, K, alpha, a, b, beta, c: ours });
              tsBackend.gemm({ transA, transB, M, N, K, alpha, a: f64(a)!, b: f64(b)!, beta, c: ref });
              expectClose(`c alpha=${alpha} beta=${beta}`, ours, ref);
            }
          });
        }
      }
    }

    it('gemm with beta = 0 ignores NaN in c', () => {
      use();
      const c = new Float32Array(4).fill(NaN);
      backend.gemm({ transA: false, transB: false, M: 2, N: 2, K: 1, alpha: 1, a: new Float32Array([1, 2]), b: new Float32Array([3, 4]), beta: 0, c });
      expect(Array.from(c)).toEqual([3, 4, 6, 8]);
    });

    it('addBias, sumRows, softmax, softmaxBackward', () => {
      use();
      const R = 7, C = 45;
      const x = randF32(rand, R * C, 3), bias = randF32(rand, C), dy = randF32(rand, R * C);
      expectClose('addBias', backend.addBias(x, bias, R, C), tsBackend.addBias(f64(x)!, f64(bias)!, R, C));
      expectClose('sumRows', backend.sumRows(x, R, C), tsBackend.sumRows(f64(x)!, R, C));
      const y = backend.softmax(x, R, C) as Float32Array;
      expectClose('softmax', y, tsBackend.softmax(f64(x)!, R, C));
      expectClose('softmaxBackward', backend.softmaxBackward(y, dy, R, C), tsBackend.softmaxBackward(f64(y)!, f64(dy)!, R, C));
    });

    const DOMAIN: Record<UnaryOp, [number, number]> = {
      tanh: [-12, 12], sigmoid: [-30, 30], relu: [-3, 3], exp: [-80, 80], log: [1e-3, 50], neg: [-5, 5], square: [-5, 5], sqrt: [1e-3, 50],
    };
    for (const op of Object.keys(DOMAIN) as UnaryOp[]) {
      it(`unary ${op} and its backward`, () => {
        use();
        const [lo, hi] = DOMAIN[op];
        const n = 1003; // not a multiple of any vector width: the tail path runs too
        const x = new Float32Array(n);
        for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
        const dy = randF32(rand, n);
        const y = backend.unary(op, x) as Float32Array;
        const ref = tsBackend.unary(op, f64(x)!);
        expectClose(op, y, ref);
        if (op === 'tanh' || op === 'sigmoid' || op === 'exp') {
          // Per element too: the SIMD approximations stay within a few float32 ulp everywhere.
          for (let i = 0; i < n; i++) {
            const tol = op === 'tanh' ? 2e-7 + 4e-7 * Math.abs(ref[i]) : 4e-7 * Math.abs(ref[i]);
            if (!(Math.abs(y[i] - ref[i]) <= tol)) throw new Error(`${op}(${x[i]}) = ${y[i]}, expected ${ref[i]}`);
          }
        }
        expectClose(`${op} backward`, backend.unaryBackward(op, x, y, dy), tsBackend.unaryBackward(op, f64(x)!, f64(y)!, f64(dy)!));
      });
    }

    it('exp outside the clamped range: overflow to Infinity, subnormals, NaN', () => {
      use();
      const x = Float32Array.from([88.5, 89, 100, Infinity, -87.5, -95, -103, -110, -Infinity, NaN, 0]);
      const y = backend.unary('exp', x);
      const ref = Float32Array.from(x, (v) => Math.exp(v));
      for (let i = 0; i < x.length; i++) {
        if (Number.isNaN(ref[i])) expect(y[i]).toBeNaN();
        else if (!Number.isFinite(ref[i])) expect(y[i], `exp(${x[i]})`).toBe(ref[i]);
        else expect(Math.abs(y[i] - ref[i]), `exp(${x[i]})`).toBeLessThanOrEqual(Math.abs(ref[i]) * 4e-7 + 1e-44);
      }
      expect(Array.from(backend.unary('tanh', Float32Array.from([50, -50, 0, -0]))).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual([1, -1, 0, '-0']);
      // NaN stays NaN through every activation (it must not turn into 0 or 1 in training).
      for (const op of ['tanh', 'sigmoid', 'exp'] as const) {
        const out = backend.unary(op, Float32Array.from({ length: 19 }, (_, i) => (i % 3 === 0 ? NaN : i)));
        for (let i = 0; i < 19; i += 3) expect(out[i], `${op}(NaN) at ${i}`).toBeNaN();
      }
    });

    it('softmaxCrossEntropy with and without a mask', () => {
      use();
      const N = 9, C = 70;
      const logits = randF32(rand, N * C, 4);
      const targets = Int32Array.from({ length: N }, (_, i) => (i * 17) % C);
      const mask = Float32Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 0.5));
      for (const m of [null, mask]) {
        const ours = backend.softmaxCrossEntropy(logits, targets, m, N, C);
        const ref = tsBackend.softmaxCrossEntropy(f64(logits)!, targets, f64(m), N, C);
        expect(Math.abs(ours.lossSum - ref.lossSum) / Math.abs(ref.lossSum)).toBeLessThanOrEqual(TOL);
        expect(ours.count).toBe(ref.count);
        expectClose('dlogits', ours.dlogits, ref.dlogits);
      }
    });

    it('embeddingForward and embeddingBackward', () => {
      use();
      const V = 11, E = 6;
      const table = randF32(rand, V * E);
      const ids = Int32Array.from([3, 0, 10, 3, 7]);
      expectClose('embeddingForward', backend.embeddingForward(table, ids, V, E), tsBackend.embeddingForward(f64(table)!, ids, V, E));
      const dOut = randF32(rand, ids.length * E);
      const ours = randF32(rand, V * E);
      const ref = f64(ours)!;
      backend.embeddingBackward(ours, ids, dOut, V, E);
      tsBackend.embeddingBackward(ref, ids, f64(dOut)!, V, E);
      expectClose('dTable', ours, ref);
    });
  });
});

describe('threads and async', () => {
  it('gives bit-identical results on 1, 2 and 3 threads', () => {
    // Large enough (2·T·B·4·H² ≈ 18 Mflop) that the work is split over 3 threads.
    const c = sequenceCase(9, ALL_CELLS[3].cell, { T: 10, B: 9, I: 40, H: 160 });
    const run = (n: number) => {
      backend.setThreads(n);
      const f = backend.sequenceForward(c.args);
      const g = backend.sequenceBackward({ forward: c.args, cache: f.cache!, dy: c.dy, dhN: c.dhN, dcN: c.dcN });
      return [f.y, f.hN, g.dx, g.dWIh, g.dWHh, g.dBIh];
    };
    const before = backend.threads;
    try {
      const one = run(1);
      for (const n of [2, 3]) {
        const other = run(n);
        for (let i = 0; i < one.length; i++) expect(Array.from(other[i]!)).toEqual(Array.from(one[i]!));
      }
    } finally {
      backend.setThreads(before);
    }
  });

  it.each([6, 2])('batch 1 with the hidden units split over 2 threads (and its single-thread fallback), T = %i', (T) => {
    // T = 2: W_hh read in place (two row products), not packed.
    const c = sequenceCase(31, ALL_CELLS[3].cell, { T, B: 1, I: 8, H: 256 }, { reverse: true });
    const ref = tsBackend.sequenceForward(toFloat64(c.args));
    const before = backend.threads;
    try {
      backend.setThreads(2);
      const ours = backend.sequenceForward(c.args);
      expectClose('y', ours.y, ref.y);
      expectClose('cN', ours.cN, ref.cN);
      const g = backend.sequenceBackward({ forward: c.args, cache: ours.cache!, dy: c.dy, dhN: c.dhN, dcN: c.dcN });
      const r = tsBackend.sequenceBackward({ forward: toFloat64(c.args), cache: ref.cache!, dy: f64(c.dy), dhN: f64(c.dhN), dcN: f64(c.dcN) });
      for (const n of GRAD_NAMES) expectClose(n, g[n], r[n]);
    } finally {
      backend.setThreads(before);
    }
    // RECURRENT_SPLIT_PATIENCE_US=0 makes every barrier "slow": the first thread finishes alone.
    const script = `
      import('${packageRoot}/dist/index.js').then((m) => {
        const b = m.loadNativeBackend().backend; b.setThreads(2);
        const args = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        for (const k of ['x', 'h0', 'c0']) args[k] = Float32Array.from(args[k]);
        for (const k of ['wIh', 'wHh', 'bIh', 'bHh']) args.weights[k] = Float32Array.from(args.weights[k]);
        process.stdout.write(JSON.stringify(Array.from(b.sequenceForward(args).y)));
      });`;
    const plain = JSON.stringify(c.args, (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
    const out = spawnSync(process.execPath, ['-e', script], {
      input: plain, env: { ...process.env, RECURRENT_SPLIT_PATIENCE_US: '0' }, encoding: 'utf8', maxBuffer: 64 << 20,
    });
    expect(out.status, out.stderr).toBe(0);
    expectClose('y (fallback)', Float32Array.from(JSON.parse(out.stdout) as number[]), ref.y);
  });

  it('async forward and backward equal the synchronous ones', async () => {
    for (const { cell } of [ALL_CELLS[0], ALL_CELLS[12], ALL_CELLS[14]]) {
      const c = sequenceCase(21, cell, { T: 5, B: 4, I: 6, H: 10 }, { reverse: true });
      const sync = backend.sequenceForward(c.args);
      const fwd = await backend.sequenceForwardAsync(c.args);
      expect(Array.from(fwd.y)).toEqual(Array.from(sync.y));
      expect(Array.from(fwd.hN)).toEqual(Array.from(sync.hN));
      const bargs = { forward: c.args, cache: fwd.cache!, dy: c.dy, dhN: c.dhN, dcN: c.dcN };
      const gs = backend.sequenceBackward(bargs);
      const ga = await backend.sequenceBackwardAsync(bargs);
      for (const n of GRAD_NAMES) expect(ga[n] === null ? null : Array.from(ga[n]!)).toEqual(gs[n] === null ? null : Array.from(gs[n]!));
    }
  });

  it('many async calls in flight, interleaved with synchronous ones, all give the sync results', async () => {
    const cases = ALL_CELLS.map(({ cell }, i) => sequenceCase(50 + i, cell, { T: 4, B: 5, I: 7, H: 24 }, { reverse: i % 2 === 1 }));
    const pending = cases.map((c) => backend.sequenceForwardAsync(c.args));
    const sync = cases.map((c) => backend.sequenceForward(c.args));
    const results = await Promise.all(pending);
    results.forEach((r, i) => expect(Array.from(r.y)).toEqual(Array.from(sync[i].y)));
  });

  it('async calls reject bad input with the same errors', async () => {
    const c = sequenceCase(3, ALL_CELLS[0].cell, { T: 2, B: 2, I: 2, H: 2 });
    await expect(backend.sequenceForwardAsync({ ...c.args, x: new Float64Array(8) })).rejects.toThrow(/x: expected a Float32Array/);
  });
});

describe('ISA selection', () => {
  it('RECURRENT_ISA lowers the level and the addon reports it', () => {
    for (const isa of ISAS) {
      const script =
        `const p = process.env.RECURRENT_NATIVE_ADDON; ` +
        `const b = p ? require(require('path').resolve(p)) : require('node-gyp-build')(${JSON.stringify(packageRoot)}); process.stdout.write(b.isa());`;
      const out = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot, env: { ...process.env, RECURRENT_ISA: isa }, encoding: 'utf8' });
      expect(out.stdout).toBe(isa);
    }
  });

  it('refuses an unknown level', () => {
    expect(() => backend.setIsa('sse9' as never)).toThrow(/expected 'avx512', 'avx2' or 'scalar'/);
  });
});
