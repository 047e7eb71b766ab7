import { mkdtemp, readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_HEADER_BYTES,
  SafetensorsError,
  parseSafetensors,
  readSafetensorsFile,
  serializeSafetensors,
  writeSafetensorsFile,
  type SafetensorsData,
} from './safetensors.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/torch/', import.meta.url));

/** A file from a raw header string and data buffer, with the header length as stated. */
function craft(header: string, buffer: Uint8Array | number = 0, declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const data = typeof buffer === 'number' ? new Uint8Array(buffer) : buffer;
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const bytesOf = (a: SafetensorsData): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** Bit equality without the element-by-element diff machinery (slow on megabyte arrays). */
const sameBits = (a: SafetensorsData, b: SafetensorsData): boolean => Buffer.compare(bytesOf(a), bytesOf(b)) === 0;
const le = (...values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

describe('serializeSafetensors', () => {
  it('writes the same bytes as the reference writer for its published examples', () => {
    // huggingface/safetensors tensor.rs test_serialization: "attn.0", F32 [1,2,3], 0..5
    const out = serializeSafetensors(new Map([['attn.0', { shape: [1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) }]]));
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect(out).toEqual(craft(header, le(0, 1, 2, 3, 4, 5)));
    // test_empty: no tensors, then metadata {framework: pt}; padding with spaces to 8 bytes
    expect(Array.from(serializeSafetensors(new Map()))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = serializeSafetensors({}, { framework: 'pt' });
    expect(new TextDecoder().decode(withMeta.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
    expect(withMeta[0]).toBe(40);
  });

  it('orders tensors by dtype (I64, F64, F32, I32, BF16, F16) then name, metadata first with sorted keys', () => {
    const out = serializeSafetensors(
      {
        z16: { shape: [1], data: [1], dtype: 'F16' },
        b32: { shape: [1], data: [1] },
        a32: { shape: [2], data: new Float32Array(2) },
        i32: { shape: [1], data: new Int32Array(1) },
        f64: { shape: [1], data: new Float64Array(1) },
        bf: { shape: [1], data: [1], dtype: 'BF16' },
        i64: { shape: [1], data: new BigInt64Array(1) },
      },
      { zeta: '1', alpha: '2' },
    );
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(out.subarray(8, 8 + n));
    const keys = [...text.matchAll(/"([a-z0-9_]+)":\{/g)].map((m) => m[1]);
    expect(keys).toEqual(['__metadata__', 'i64', 'f64', 'a32', 'b32', 'i32', 'bf', 'z16']);
    expect(text).toMatch(/^\{"__metadata__":\{"alpha":"2","zeta":"1"\},"i64":\{"dtype":"I64","shape":\[1\],"data_offsets":\[0,8\]\}/);
    expect(text.trimEnd()).toMatch(/"z16":\{"dtype":"F16","shape":\[1\],"data_offsets":\[34,36\]\}\}$/);
    expect(out.length).toBe(8 + n + 36);
  });

  it('rounds float64 data to F32 unless F64 is asked for, and checks integer ranges', () => {
    const x = [0.1, 1 / 3, 1e40];
    const f32 = parseSafetensors(serializeSafetensors({ x: { shape: [3], data: x } })).tensors.get('x')!;
    expect(Array.from(f32.data as Float32Array)).toEqual([Math.fround(0.1), Math.fround(1 / 3), Infinity]);
    const f64 = parseSafetensors(serializeSafetensors({ x: { shape: [3], data: x, dtype: 'F64' } })).tensors.get('x')!;
    expect(Array.from(f64.data as Float64Array)).toEqual(x);
    expect(() => serializeSafetensors({ i: { shape: [1], data: [2 ** 31], dtype: 'I32' } })).toThrow(
      "tensor 'i': element 0 is 2147483648; I32 needs integers in [-2147483648, 2147483647]",
    );
    expect(() => serializeSafetensors({ i: { shape: [1], data: [0.5], dtype: 'I64' } })).toThrow(/element 0 is 0.5; I64 needs integers/);
    // a Tensor's own dtype names are understood
    const t = parseSafetensors(serializeSafetensors({ a: { shape: [1], data: [0.1], dtype: 'float64' }, b: { shape: [1], data: [0.1], dtype: 'float32' } })).tensors;
    expect([t.get('a')!.dtype, t.get('b')!.dtype]).toEqual(['F64', 'F32']);
  });

  it('rejects bad tensors and metadata with a message naming what was expected', () => {
    expect(() => serializeSafetensors({ w: { shape: [2, 2], data: [1, 2, 3] } })).toThrow("tensor 'w': data has 3 elements, shape [2,2] needs 4");
    expect(() => serializeSafetensors({ w: { shape: [-1], data: [] } })).toThrow("tensor 'w': shape must be a list of non-negative integers, got array [-1]");
    expect(() => serializeSafetensors({ w: { shape: [1], data: [1], dtype: 'U8' as never } })).toThrow(/dtype must be one of F64, F32, F16, BF16, I64, I32, got string "U8"/);
    expect(() => serializeSafetensors({ w: { shape: [1], data: new BigInt64Array(1), dtype: 'F32' } })).toThrow(/BigInt64Array data can only be written as I64, not F32/);
    expect(() => serializeSafetensors({ __metadata__: { shape: [0], data: [] } })).toThrow(/reserved/);
    expect(() => serializeSafetensors({}, { epochs: 3 as unknown as string })).toThrow("metadata value 'epochs' must be a string, got number 3");
  });
});

describe('parseSafetensors round trips', () => {
  it('is bit-identical for every dtype, with -0, inf, NaN payloads, subnormals and empty tensors', () => {
    const f32 = new Float32Array(6);
    new Uint32Array(f32.buffer).set([0x80000000, 0x7f800000, 0x7fc00001, 0x7f800001, 0x00000001, 0x3eaaaaab]);
    const f64 = new Float64Array([-0, Math.PI, Number.MIN_VALUE, -Infinity, NaN]);
    const tensors = {
      'layer.weight': { shape: [2, 3], data: f32 },
      ref: { shape: [5], data: f64 },
      ids: { shape: [3], data: new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]) },
      big: { shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]) },
      empty: { shape: [0, 4], data: new Float32Array(0) },
      scalar: { shape: [], data: new Float32Array([7]) },
    };
    const bytes = serializeSafetensors(tensors, { note: 'ünïcödé ✓', format: 'pt' });
    const parsed = parseSafetensors(bytes);
    expect(parsed.metadata).toEqual({ note: 'ünïcödé ✓', format: 'pt' });
    for (const [name, t] of Object.entries(tensors)) {
      const got = parsed.tensors.get(name)!;
      expect(got.shape).toEqual(t.shape);
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(bytesOf(got.data)).toEqual(bytesOf(t.data));
    }
    expect(serializeSafetensors(parsed.tensors, parsed.metadata)).toEqual(bytes);
  });

  it('reads F16 and BF16 exactly and writes them back to the same bytes', () => {
    const half = new Uint16Array([0x3c00, 0x8000, 0x0001, 0x03ff, 0x7bff, 0xfc00, 0x7e01]); // 1,-0,2^-24,max sub,65504,-inf,NaN
    const bf = new Uint16Array([0x3f80, 0xc049, 0x0001, 0x7f80, 0xffc1]);
    const buffer = new Uint8Array(24);
    buffer.set(new Uint8Array(half.buffer), 0);
    buffer.set(new Uint8Array(bf.buffer), 14);
    const bytes = craft(
      '{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},"b":{"dtype":"BF16","shape":[5],"data_offsets":[14,24]}}',
      buffer,
    );
    const { tensors } = parseSafetensors(bytes);
    const h = tensors.get('h')!.data as Float32Array;
    expect(h).toBeInstanceOf(Float32Array);
    expect(Array.from(h.subarray(0, 6))).toEqual([1, -0, 2 ** -24, 1023 * 2 ** -24, 65504, -Infinity]);
    expect(Number.isNaN(h[6])).toBe(true);
    const b = tensors.get('b')!.data as Float32Array;
    expect(Array.from(b.subarray(0, 4))).toEqual([1, -3.140625, 2 ** -133, Infinity]);
    expect(Number.isNaN(b[4])).toBe(true);
    const again = parseSafetensors(serializeSafetensors(tensors));
    expect(bytesOf(again.tensors.get('h')!.data)).toEqual(bytesOf(h));
    expect(bytesOf(again.tensors.get('b')!.data)).toEqual(bytesOf(b));
    // and the raw half / bfloat bits come back unchanged
    const rewritten = serializeSafetensors(tensors);
    const text = new TextDecoder().decode(rewritten);
    expect(text).toContain('"b":{"dtype":"BF16"');
    const data = rewritten.subarray(rewritten.length - 24);
    expect(data.subarray(0, 10)).toEqual(new Uint8Array(bf.buffer)); // BF16 sorts before F16
    expect(data.subarray(10)).toEqual(new Uint8Array(half.buffer));
  });

  it('widens or narrows float tensors when asked', () => {
    const bytes = serializeSafetensors({ a: { shape: [2], data: new Float32Array([0.1, 2]) }, b: { shape: [1], data: new Float64Array([0.1]) } });
    const wide = parseSafetensors(bytes, { float: 'float64' }).tensors;
    expect(wide.get('a')!.data).toEqual(new Float64Array([Math.fround(0.1), 2]));
    expect(wide.get('a')!.dtype).toBe('F32');
    const narrow = parseSafetensors(bytes, { float: 'float32' }).tensors;
    expect(narrow.get('b')!.data).toEqual(new Float32Array([0.1]));
    expect(() => parseSafetensors(bytes, { float: 'half' as never })).toThrow("option 'float' must be one of 'float32', 'float64', got 'half' (string)");
  });

  it('reads a header that is not in the reference order and not padded', () => {
    const bytes = craft('{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', le(1, 2));
    const { tensors, metadata } = parseSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['a', 'b']); // file order
    expect(tensors.get('a')!.data).toEqual(new Float32Array([1]));
    expect(tensors.get('b')!.data).toEqual(new Float32Array([2]));
    expect(metadata).toEqual({});
  });
});

describe('parseSafetensors rejects malformed files', () => {
  const t = (dtype: string, shape: unknown, offsets: unknown): string => JSON.stringify({ dtype, shape, data_offsets: offsets });
  const cases: Array<[string, Uint8Array, string | RegExp]> = [
    ['file shorter than 8 bytes', new Uint8Array(5), 'parseSafetensors: file has 5 bytes; expected at least 8 (the little-endian u64 header length)'],
    ['absurd header length', craft('{}', 0, MAX_HEADER_BYTES + 1), /header length 100000001 is absurd: expected at most 100000000 bytes/],
    ['header length past the end', craft('{}', 0, 50), 'parseSafetensors: header length 50 is larger than the file: only 2 bytes follow the length field'],
    ['header not UTF-8', craft('{}', new Uint8Array([0xff]), 3), /header \(3 bytes\) is not valid UTF-8/],
    ['header not JSON', craft('{"a": '), /header is not JSON \(.*\); it starts with "\{\\"a\\": "/],
    ['header an array', craft('[1,2]'), 'parseSafetensors: header must be a JSON object {name: {dtype, shape, data_offsets}}, got array [1,2]'],
    ['header null', craft('null'), /header must be a JSON object .*, got null/],
    ['entry not an object', craft('{"w": 3}'), "tensor 'w': expected an object {dtype, shape, data_offsets}, got number 3"],
    ['unknown dtype', craft(`{"w":${t('F31', [1], [0, 4])}}`, 4), `tensor 'w' has unknown dtype "F31"; expected one of F64, F32, F16, BF16, I64, I32`],
    ['unsupported dtype', craft(`{"w":${t('U8', [1], [0, 1])}}`, 1), `tensor 'w' has unsupported dtype "U8"; expected one of F64, F32, F16, BF16, I64, I32`],
    ['negative dimension', craft(`{"w":${t('F32', [2, -1], [0, 4])}}`, 4), "tensor 'w': shape must be a list of non-negative integers, got array [2,-1]"],
    ['fractional dimension', craft(`{"w":${t('F32', [1.5], [0, 4])}}`, 4), /shape must be a list of non-negative integers, got array \[1.5\]/],
    ['shape not a list', craft(`{"w":${t('F32', '2', [0, 8])}}`, 8), /shape must be a list of non-negative integers, got string "2"/],
    ['offsets reversed', craft(`{"w":${t('F32', [0], [4, 0])}}`, 4), "tensor 'w': data_offsets must be [begin, end] with integers 0 <= begin <= end, got array [4,0]"],
    ['offsets of three', craft(`{"w":${t('F32', [1], [0, 4, 8])}}`, 8), /data_offsets must be \[begin, end\]/],
    ['size not shape x dtype', craft(`{"w":${t('F64', [2, 2], [0, 16])}}`, 16), "tensor 'w': data_offsets [0,16] span 16 bytes, but shape [2,2] of F64 needs 32"],
    ['offsets past the buffer', craft(`{"w":${t('F32', [4], [0, 16])}}`, 12), "tensor 'w': data_offsets [0,16] run past the end of the data buffer, which has 12 bytes (file truncated?)"],
    [
      'overlapping tensors',
      craft(`{"a":${t('F32', [2], [0, 8])},"b":${t('F32', [2], [4, 12])}}`, 12),
      "tensor 'b' bytes [4,12) overlap tensor 'a' bytes [0,8)",
    ],
    ['a gap', craft(`{"a":${t('F32', [1], [0, 4])},"b":${t('F32', [1], [8, 12])}}`, 12), 'bytes [4,8) of the data buffer belong to no tensor; expected tensors to cover it without gaps'],
    ['trailing bytes', craft(`{"a":${t('F32', [1], [0, 4])}}`, 7), 'data buffer has 7 bytes but the tensors cover 4; 3 trailing bytes'],
    ['bytes with no tensors', craft('{}', 4), 'data buffer has 4 bytes but the tensors cover 0; 4 trailing bytes'],
    ['duplicate names', craft(`{"a":${t('F32', [1], [0, 4])},"a":${t('F32', [1], [4, 8])}}`, 8), "parseSafetensors: the header names 'a' twice; expected unique names"],
    ['duplicate metadata keys', craft('{"__metadata__":{"k":"1","k":"2"}}'), "header object '__metadata__' names 'k' twice"],
    ['metadata not strings', craft('{"__metadata__":{"epochs":3}}'), "__metadata__ value 'epochs' must be a string, got number 3"],
  ];
  it.each(cases)('%s', (_what, bytes, message) => {
    expect(() => parseSafetensors(bytes)).toThrow(message);
  });

  it('finds duplicates even when written with escapes, and not inside string values', () => {
    const dup = craft(`{"a":${t('F32', [0], [0, 0])},"\\u0061":${t('F32', [0], [0, 0])}}`);
    expect(() => parseSafetensors(dup)).toThrow("names 'a' twice");
    const fine = craft(`{"__metadata__":{"x":"\\",\\"x\\":"},"a":${t('F32', [0], [0, 0])}}`);
    expect(parseSafetensors(fine).metadata).toEqual({ x: '","x":' });
  });

  it('accepts zero-size tensors at a boundary and a null __metadata__', () => {
    const bytes = craft(`{"__metadata__":null,"e":${t('F32', [0, 3], [4, 4])},"a":${t('F32', [1], [0, 4])}}`, le(5));
    const { tensors, metadata } = parseSafetensors(bytes);
    expect(metadata).toEqual({});
    expect(tensors.get('e')!.shape).toEqual([0, 3]);
    expect(tensors.get('e')!.data.length).toBe(0);
  });
});

describe('PyTorch fixtures in test/fixtures/torch', () => {
  it('reads lstm_1l with the shapes its metadata implies', async () => {
    const { tensors, metadata } = await readSafetensorsFile(join(FIXTURES, 'lstm_1l.safetensors'));
    expect(metadata.kind).toBe('LSTM');
    const I = Number(metadata.input_size);
    const H = Number(metadata.hidden_size);
    const T = Number(metadata.seq_len);
    const B = Number(metadata.batch);
    const w = tensors.get('param.weight_ih_l0')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([4 * H, I]);
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.data.length).toBe(4 * H * I);
    expect(tensors.get('param.weight_hh_l0')!.shape).toEqual([4 * H, H]);
    expect(tensors.get('input.x')!.shape).toEqual([T, B, I]);
    const y = tensors.get('output.y')!;
    expect(y.dtype).toBe('F64');
    expect(y.data).toBeInstanceOf(Float64Array);
    expect(y.shape).toEqual([T, B, H]);
    // an LSTM output is h = o * tanh(c), so 0 < max |y| < 1: the F64 bytes decoded as numbers, not garbage
    const maxAbsY = Math.max(...Array.from(y.data as Float64Array, Math.abs));
    expect(maxAbsY).toBeGreaterThan(0);
    expect(maxAbsY).toBeLessThan(1);
  });

  it('reads every fixture, with per-layer parameter shapes matching the metadata, and re-serializes losslessly', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.safetensors'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const original = await readFile(join(FIXTURES, file));
      const { tensors, metadata } = parseSafetensors(original);
      const gates = { LSTM: 4, GRU: 3, RNN: 1 }[metadata.kind!]!;
      const I = Number(metadata.input_size);
      const H = Number(metadata.hidden_size);
      const dirs = metadata.bidirectional === 'true' ? 2 : 1;
      for (let l = 0; l < Number(metadata.num_layers); l++) {
        for (const sfx of dirs === 2 ? ['', '_reverse'] : ['']) {
          expect(tensors.get(`param.weight_ih_l${l}${sfx}`)?.shape, `${file} l${l}${sfx}`).toEqual([gates * H, l === 0 ? I : dirs * H]);
          expect(tensors.get(`param.weight_hh_l${l}${sfx}`)?.shape).toEqual([gates * H, H]);
          expect(tensors.has(`param.bias_ih_l${l}${sfx}`)).toBe(metadata.bias === 'true');
        }
      }
      // same tensors, bit for bit, after writing in the reference layout and reading again
      const again = parseSafetensors(serializeSafetensors(tensors, metadata));
      expect(again.metadata).toEqual(metadata);
      expect([...again.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
      for (const [name, t] of tensors) {
        expect(sameBits(again.tensors.get(name)!.data, t.data), `${file} ${name}`).toBe(true);
      }
    }
  });
});

describe('safetensors files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recurrent-safetensors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a file that reads back bit-identically, replacing an older one', async () => {
    const path = join(dir, 'model.safetensors');
    await writeFile(path, 'old contents');
    const w = new Float32Array([1.5, -2, 3e-40]);
    await writeSafetensorsFile(path, { w: { shape: [3], data: w } }, { epoch: '3' });
    const bytes = await readFile(path);
    expect(new Uint8Array(bytes)).toEqual(serializeSafetensors({ w: { shape: [3], data: w } }, { epoch: '3' }));
    const back = await readSafetensorsFile(path);
    expect(bytesOf(back.tensors.get('w')!.data)).toEqual(bytesOf(w));
    expect(await readdir(dir)).toEqual(['model.safetensors']); // no temporary file left behind
  });

  it('leaves no temporary file when the rename fails, and the target untouched', async () => {
    const target = join(dir, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    const before = (await readdir(dir)).sort();
    await expect(writeSafetensorsFile(target, { w: { shape: [1], data: [1] } })).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(await readdir(target)).toEqual(['inside']);
  });

  it('keeps the old file when the tensors are invalid', async () => {
    const path = join(dir, 'keep.safetensors');
    await writeSafetensorsFile(path, { w: { shape: [1], data: [1] } });
    const before = await readFile(path);
    await expect(writeSafetensorsFile(path, { w: { shape: [2], data: [1] } })).rejects.toThrow(
      `writeSafetensorsFile(${path}): tensor 'w': data has 1 elements, shape [2] needs 2`,
    );
    expect(await readFile(path)).toEqual(before);
  });

  it('names the file in read errors', async () => {
    const path = join(dir, 'short.safetensors');
    await writeFile(path, new Uint8Array(3));
    await expect(readSafetensorsFile(path)).rejects.toThrow(`readSafetensorsFile(${path}): file has 3 bytes; expected at least 8`);
  });
});

describe('parseSafetensors on hostile headers', () => {
  const entry = (extra = ''): string => `{"dtype":"F32","shape":[0],"data_offsets":[0,0]${extra}}`;

  it('accepts a header 64 levels deep (an entry with an extra key holding 62 nested arrays)', () => {
    const header = `{"w":${entry(`,"extra":${'['.repeat(62)}${']'.repeat(62)}`)}}`;
    expect(parseSafetensors(craft(header)).tensors.get('w')!.shape).toEqual([0]);
  });

  it('rejects 65 levels with a SafetensorsError naming the limit and the byte', () => {
    const header = `{"w":${entry(`,"extra":${'['.repeat(63)}${']'.repeat(63)}`)}}`;
    const at = header.indexOf('[', header.indexOf('extra')) + 62;
    expect(() => parseSafetensors(craft(header))).toThrow(
      new SafetensorsError(`parseSafetensors: header nests deeper than 64 levels at byte ${at}; expected at most 64 levels of {} and []`),
    );
  });

  it('rejects 20,000 nested objects at the 65th, without scanning the rest (on main: 15 s and 2.5 GB)', () => {
    const header = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    expect(() => parseSafetensors(craft(header))).toThrow(/^parseSafetensors: header nests deeper than 64 levels at byte 320;/);
  }, 5_000);

  it('rejects 100,000 nested [ with a SafetensorsError (on main: a stack overflow in the message)', () => {
    const header = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    let error: unknown;
    try {
      parseSafetensors(craft(header));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as Error).message).toBe('parseSafetensors: header nests deeper than 64 levels at byte 64; expected at most 64 levels of {} and []');
  });

  it('names the byte of a syntax error and of a duplicate key in a large object', () => {
    expect(() => parseSafetensors(craft('{"w":[1,]}'))).toThrow(`header is not JSON (unexpected character "]" at byte 8: expected a value); it starts with "{\\"w\\":[1,]}"`);
    expect(() => parseSafetensors(craft('{"w":"ab'))).toThrow(`header is not JSON (unexpected end of text in the string starting at byte 5: expected a closing '"')`);
    const keys = Array.from({ length: 20 }, (_v, i) => `"k${i}":"v"`);
    const header = `{"__metadata__":{${keys.join(',')},"k7":"again"}}`;
    expect(() => parseSafetensors(craft(header))).toThrow(
      `header object '__metadata__' names 'k7' twice; expected unique names (the second one is at byte ${header.lastIndexOf('"k7"')})`,
    );
  });
});
