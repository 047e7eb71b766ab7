import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_CELLS, native, relErr, sequenceCase } from '../test/helpers.js';

/**
 * Throws ≥ 10,000 random malformed calls at the binding: wrong types, wrong lengths, absurd or
 * non-integer sizes, detached and shared buffers, missing fields, getters that detach buffers
 * mid-call. Every call must either succeed or throw a JavaScript Error; the process must survive
 * and the addon must still compute correct results afterwards.
 */

const backend = native();
const binding = backend.binding as unknown as Record<string, (...args: unknown[]) => unknown>;

function detachedF32(n: number): Float32Array {
  const a = new Float32Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

const sizes = fc.oneof(
  fc.integer({ min: 0, max: 6 }),
  fc.constantFrom(-1, 0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 31 - 1, 2 ** 32 + 1, 2 ** 53, 1e300, -0),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, '', 'tanh', 'lstm', {}, [], () => 1, Symbol('s'), 10n),
  sizes,
  fc.integer({ min: 0, max: 40 }).map((n) => new Float32Array(n).fill(0.5)),
  fc.integer({ min: 0, max: 40 }).map((n) => new Float64Array(n)),
  fc.integer({ min: 0, max: 12 }).map((n) => Int32Array.from({ length: n }, (_, i) => (i * 7919) % 13 - 3)),
  fc.integer({ min: 0, max: 12 }).map((n) => new Uint8Array(n)),
  fc.integer({ min: 0, max: 12 }).map((n) => detachedF32(n)),
  fc.integer({ min: 1, max: 12 }).map((n) => new Float32Array(new SharedArrayBuffer(4 * n))),
  fc.integer({ min: 1, max: 12 }).map((n) => new Float32Array(n + 4).subarray(2, 2 + n)),
);

const DENSE = [
  'gemm', 'addBias', 'sumRows', 'unary', 'unaryBackward', 'softmax', 'softmaxBackward',
  'softmaxCrossEntropy', 'embeddingForward', 'embeddingBackward', 'setThreads', 'setIsa',
];

/** A valid gemm args object with one or more fields replaced. */
const gemmArgs = fc
  .record({
    M: fc.integer({ min: 0, max: 5 }),
    N: fc.integer({ min: 0, max: 5 }),
    K: fc.integer({ min: 0, max: 5 }),
    transA: fc.boolean(),
    transB: fc.boolean(),
  })
  .chain((d) => {
    const base: Record<string, unknown> = {
      ...d, alpha: 1, beta: 0,
      a: new Float32Array(d.M * d.K), b: new Float32Array(d.K * d.N), c: new Float32Array(d.M * d.N),
    };
    return fc.array(fc.tuple(fc.constantFrom(...Object.keys(base)), anyValue), { maxLength: 3 }).map((edits) => {
      const o = { ...base };
      for (const [k, v] of edits) o[k] = v;
      return o;
    });
  });

const FORWARD_KEYS = ['T', 'B', 'I', 'H', 'x', 'h0', 'c0', 'reverse', 'keepCache', 'cell', 'weights'];
const WEIGHT_KEYS = ['wIh', 'wHh', 'bIh', 'bHh', 'wPeep', 'wGateRec'];

/** A valid sequence-forward args object (random cell) with some fields or weights replaced. */
const forwardArgs = fc
  .record({
    cell: fc.integer({ min: 0, max: ALL_CELLS.length - 1 }),
    T: fc.integer({ min: 1, max: 3 }),
    B: fc.integer({ min: 1, max: 3 }),
    I: fc.integer({ min: 1, max: 3 }),
    H: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
    edits: fc.array(fc.tuple(fc.constantFrom(...FORWARD_KEYS, ...WEIGHT_KEYS.map((k) => `weights.${k}`), 'cell.kind', 'cell.variant'), anyValue), { maxLength: 2 }),
  })
  .map(({ cell, seed, edits, ...dims }) => {
    const c = sequenceCase(seed, ALL_CELLS[cell].cell, dims);
    const args = { ...c.args, weights: { ...c.args.weights }, cell: { ...c.args.cell } } as Record<string, unknown>;
    for (const [path, v] of edits) {
      const [head, tail] = path.split('.');
      if (tail === undefined) args[head] = v;
      else if (typeof args[head] === 'object' && args[head] !== null) (args[head] as Record<string, unknown>)[tail] = v;
    }
    return { args, c };
  });

describe('malformed calls', () => {
  it('survives 10,000+ random malformed calls, each failing with a JS Error or succeeding', async () => {
    const pending: Promise<unknown>[] = [];
    const call = (fn: () => unknown) => {
      try {
        const r = fn();
        if (r instanceof Promise) pending.push(r.catch((e: unknown) => expect(e).toBeInstanceOf(Error)));
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
      }
    };
    const before = backend.threads;
    // Positional calls of every dense op with random argument lists.
    fc.assert(
      fc.property(fc.constantFrom(...DENSE), fc.array(anyValue, { maxLength: 6 }), (name, args) => {
        call(() => binding[name](...args));
      }),
      { numRuns: 4000 },
    );
    backend.setThreads(before);
    fc.assert(fc.property(gemmArgs, (a) => call(() => binding.gemm(a))), { numRuns: 2000 });
    // Sequence kernels, sync and async, forward and backward with forged caches.
    fc.assert(
      fc.property(forwardArgs, fc.boolean(), fc.constantFrom('forward', 'forwardAsync', 'backward', 'backwardAsync'), ({ args, c }, forgeCache, kind) => {
        if (kind === 'forward') call(() => binding.sequenceForward(args));
        else if (kind === 'forwardAsync') call(() => binding.sequenceForwardAsync(args));
        else {
          let cache: unknown = { backend: 'native', key: 'rnn:tanh|T=1,B=1,I=1,H=1', data: new Float32Array(2) };
          if (!forgeCache) {
            try {
              cache = (binding.sequenceForward({ ...c.args }) as { cache: unknown }).cache;
            } catch {
              /* keep the forged one */
            }
          }
          const bargs = { forward: args, cache, dy: c.dy, dhN: c.dhN, dcN: c.dcN };
          call(() => binding[kind === 'backward' ? 'sequenceBackward' : 'sequenceBackwardAsync'](bargs));
        }
      }),
      { numRuns: 4000 },
    );
    await Promise.all(pending);
    expect(pending.length).toBeGreaterThan(0);
  });

  it('refuses a buffer detached by a getter that runs after it was read', () => {
    const c = sequenceCase(1, ALL_CELLS[3].cell, { T: 2, B: 2, I: 3, H: 4 });
    const x = c.args.x as Float32Array;
    const args = { ...c.args };
    Object.defineProperty(args, 'keepCache', {
      get() {
        structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
        return true;
      },
    });
    expect(() => backend.sequenceForward(args)).toThrow(/x.*detached|x: expected a Float32Array of length 24/);
  });

  it('names what was expected and what came', () => {
    const c = sequenceCase(1, ALL_CELLS[3].cell, { T: 2, B: 2, I: 3, H: 4 });
    expect(() => backend.sequenceForward({ ...c.args, x: new Float64Array(12) })).toThrow(
      /sequenceForward: x: expected a Float32Array of length 12 \[T, B, I\] with T=2, B=2, I=3, H=4, G=4, got Float64Array of length 12/,
    );
    expect(() => backend.sequenceForward({ ...c.args, h0: new Float32Array(7) })).toThrow(/h0: expected a Float32Array of length 8/);
    expect(() => backend.gemm({ transA: false, transB: false, M: 2 ** 31 - 1, N: 2 ** 31 - 1, K: 2, alpha: 1, a: new Float32Array(1), b: new Float32Array(1), beta: 0, c: new Float32Array(1) })).toThrow(/too large/);
    const shared = new Float32Array(new SharedArrayBuffer(16));
    expect(() => backend.unary('tanh', shared)).toThrow(/SharedArrayBuffer/);
    const c2 = new Float32Array(4);
    expect(() => backend.gemm({ transA: false, transB: false, M: 2, N: 2, K: 2, alpha: 1, a: c2, b: new Float32Array(4), beta: 0, c: c2 })).toThrow(/must not share memory/);
    expect(() => backend.embeddingForward(new Float32Array(6), Int32Array.from([0, 3]), 3, 2)).toThrow(/id 3 at position 1 is outside \[0, 3\)/);
  });

  it('still computes correctly after the storm', async () => {
    const { tsBackend } = await import('@recurrent/core');
    const { toFloat64 } = await import('../test/helpers.js');
    const c = sequenceCase(4, ALL_CELLS[3].cell, { T: 4, B: 3, I: 5, H: 7 });
    const ours = backend.sequenceForward(c.args);
    const ref = tsBackend.sequenceForward(toFloat64(c.args));
    expect(relErr(ours.y, ref.y)).toBeLessThanOrEqual(1e-5);
  });
});
