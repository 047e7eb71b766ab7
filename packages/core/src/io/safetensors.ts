import { open, type FileHandle } from 'node:fs/promises';
import type { DType } from '../dtype.js';
import { formatShape } from '../errors.js';
import { object } from '../schema/object.js';
import { dtype as dtypeSchema } from '../schema/common.js';
import { parse, type Infer } from '../schema/schema.js';
import { writeFileAtomic } from './atomic-write.js';
import { bfloatBitsToFloatBits, floatBitsToBfloatBits, floatBitsToHalfBits, halfBitsToFloatBits } from './half.js';
import { scanJson } from './json-scan.js';

/**
 * The safetensors format: 8 bytes little-endian u64 header length N, N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then
 * the data buffer (offsets are relative to its start; row-major, little-endian).
 *
 * Read as:  F64 -> Float64Array, F32/F16/BF16 -> Float32Array (all floats to one array type
 *           when `float` is given), I32 -> Int32Array, I64 -> BigInt64Array (exact; convert
 *           with Number() where values are known to be small).
 * Written:  F32, F64, F16, BF16 (rounded to nearest even), I32, I64.
 */

export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';
export const SAFETENSORS_DTYPES: readonly SafetensorsDType[] = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32'];

const BYTES_PER_ELEMENT: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };

/** Other dtypes the format defines; named so the error says "not supported", not "unknown". */
const UNSUPPORTED_FORMAT_DTYPES = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'I16', 'U16', 'U32', 'U64', 'C64'];

/** The reference writer sorts tensors by its dtype enum order, descending, then by name. */
const REFERENCE_DTYPE_ORDER: Record<SafetensorsDType, number> = { F16: 0, BF16: 1, I32: 2, F32: 3, F64: 4, I64: 5 };

/** The reference reader's limit; a larger length means a corrupt file or another format. */
export const MAX_HEADER_BYTES = 100_000_000;

export type SafetensorsData = Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface SafetensorsTensor {
  /** The dtype stored in the file (the data may have been widened, see ParseOptions). */
  dtype: SafetensorsDType;
  shape: number[];
  data: SafetensorsData;
}

export interface Safetensors {
  /** Tensors in file (data offset) order. */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export const parseOptionsSchema = object({
  /** Convert every float tensor to this array type; by default F64 stays Float64Array, others Float32Array. */
  float: dtypeSchema().optional(),
});
export type ParseOptions = Infer<typeof parseOptionsSchema>;

/** What the writer takes: a Tensor, a parsed SafetensorsTensor or a plain {shape, data}. */
export interface TensorToWrite {
  shape: readonly number[];
  data: ArrayLike<number> | BigInt64Array;
  /**
   * Defaults to F64 for Float64Array, I32 for Int32Array, I64 for BigInt64Array, else F32.
   * A Tensor's 'float32' / 'float64' mean F32 / F64, so Tensors and state dicts can be passed as they are.
   */
  dtype?: SafetensorsDType | DType;
}

export type TensorsToWrite = Map<string, TensorToWrite> | Record<string, TensorToWrite>;

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------- parse

/** Containers in the header nest at most this deep (a tensor's shape is at depth 3); deeper is an attack, not a model. */
export const MAX_HEADER_DEPTH = 64;

export function parseSafetensors(bytes: Uint8Array, options: ParseOptions = {}): Safetensors {
  const where = 'parseSafetensors';
  checkParseOptions(where, options);
  const fail = failIn(where);
  if (!(bytes instanceof Uint8Array)) throw fail(`expected the file's bytes as a Uint8Array, got ${preview(bytes)}`);
  const headerLength = checkHeaderLength(fail, bytes.length, bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) : 0n);
  const { metadata, entries } = parseHeader(fail, bytes.subarray(8, 8 + headerLength));
  checkLayout(fail, entries, bytes.length - 8 - headerLength);
  const tensors = new Map<string, SafetensorsTensor>();
  const base = 8 + headerLength;
  for (const e of entries) {
    const data = decode(bytes.subarray(base + e.begin, base + e.end), false, e.dtype, options.float);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

/**
 * Reads the header, then each tensor from its offset straight into its typed array: the file is
 * never held whole in memory, so files over 2 GiB (the limit of fs.readFile) read too.
 */
export async function readSafetensorsFile(path: string, options: ParseOptions = {}): Promise<Safetensors> {
  const where = `readSafetensorsFile(${path})`;
  checkParseOptions(where, options);
  const fail = failIn(where);
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const prefix = await readAt(fail, handle, 0, Math.min(size, 8));
    const headerLength = checkHeaderLength(fail, size, size >= 8 ? new DataView(prefix.buffer).getBigUint64(0, true) : 0n);
    const { metadata, entries } = parseHeader(fail, await readAt(fail, handle, 8, headerLength));
    checkLayout(fail, entries, size - 8 - headerLength);
    const tensors = new Map<string, SafetensorsTensor>();
    for (const e of entries) {
      const bytes = await readAt(fail, handle, 8 + headerLength + e.begin, e.end - e.begin);
      tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: decode(bytes, true, e.dtype, options.float) });
    }
    return { tensors, metadata };
  } finally {
    await handle.close();
  }
}

/** `length` bytes of the file from `position`, in a fresh ArrayBuffer of exactly that length. */
async function readAt(fail: (m: string) => Error, handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    // one read() moves at most ~2 GiB (and Linux stops at 0x7ffff000 bytes), so big tensors take several
    const { bytesRead } = await handle.read(out, done, Math.min(length - done, READ_CHUNK), position + done);
    if (bytesRead === 0) throw fail(`file ended at byte ${position + done} while reading bytes [${position},${position + length}) (truncated while being read?)`);
    done += bytesRead;
  }
  return out;
}

const READ_CHUNK = 1 << 30;

function checkParseOptions(where: string, options: ParseOptions): void {
  parse(where, parseOptionsSchema, options);
}

function failIn(where: string): (msg: string) => SafetensorsError {
  return (msg) => new SafetensorsError(`${where}: ${msg}`);
}

/** The header length from the u64 `declared`, checked against the file's `size` in bytes. */
function checkHeaderLength(fail: (m: string) => Error, size: number, declared: bigint): number {
  if (size < 8) throw fail(`file has ${size} bytes; expected at least 8 (the little-endian u64 header length)`);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw fail(`header length ${declared} is absurd: expected at most ${MAX_HEADER_BYTES} bytes (is this a safetensors file?)`);
  }
  const headerLength = Number(declared);
  if (8 + headerLength > size) {
    throw fail(`header length ${headerLength} is larger than the file: only ${size - 8} bytes follow the length field`);
  }
  return headerLength;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** The header's metadata and tensor entries (in header order), each checked on its own. */
function parseHeader(fail: (m: string) => Error, bytes: Uint8Array): { metadata: Record<string, string>; entries: HeaderEntry[] } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fail(`header (${bytes.length} bytes) is not valid UTF-8`);
  }
  // Checked before JSON.parse: JSON.parse keeps the last of two equal keys without a word, and
  // a deep header would only be slow or exhaust the stack (here or in the messages below).
  const problem = scanJson(text, MAX_HEADER_DEPTH);
  if (problem !== undefined) {
    const starts = `it starts with ${JSON.stringify(text.slice(0, 40))}`;
    if (problem.kind === 'syntax') throw fail(`header is not JSON (${problem.message}); ${starts}`);
    if (problem.kind === 'depth') throw fail(`header ${problem.message}; expected at most ${MAX_HEADER_DEPTH} levels of {} and []`);
    const { key, path } = problem.duplicate!;
    const inside = path.length === 0 ? 'the header' : `header object '${path.join('.')}'`;
    throw fail(`${inside} names '${key}' twice; expected unique names (the second one is at byte ${problem.byte})`);
  }
  const header: unknown = JSON.parse(text); // cannot throw: scanJson accepted the text
  if (!isPlainObject(header)) {
    throw fail(`header must be a JSON object {name: {dtype, shape, data_offsets}}, got ${preview(header)}`);
  }
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = checkMetadata(fail, value);
    else entries.push(checkEntry(fail, name, value));
  }
  return { metadata, entries };
}

function checkMetadata(fail: (m: string) => Error, value: unknown): Record<string, string> {
  if (value === null) return {}; // the reference reader accepts null as "no metadata"
  if (!isPlainObject(value)) throw fail(`__metadata__ must be an object of strings, got ${preview(value)}`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`__metadata__ value '${k}' must be a string, got ${preview(v)}`);
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

function checkEntry(fail: (m: string) => Error, name: string, value: unknown): HeaderEntry {
  if (!isPlainObject(value)) {
    throw fail(`tensor '${name}': expected an object {dtype, shape, data_offsets}, got ${preview(value)}`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw fail(`tensor '${name}': dtype must be a string such as "F32", got ${preview(dtype)}`);
  if (!(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
    const kind = UNSUPPORTED_FORMAT_DTYPES.includes(dtype) ? 'unsupported' : 'unknown';
    throw fail(`tensor '${name}' has ${kind} dtype ${JSON.stringify(dtype)}; expected one of ${SAFETENSORS_DTYPES.join(', ')}`);
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
    throw fail(`tensor '${name}': shape must be a list of non-negative integers, got ${preview(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt) || offsets[0] > offsets[1]) {
    throw fail(`tensor '${name}': data_offsets must be [begin, end] with integers 0 <= begin <= end, got ${preview(offsets)}`);
  }
  const d = dtype as SafetensorsDType;
  const needed = shape.reduce((n: number, s: number) => n * s, BYTES_PER_ELEMENT[d]);
  if (!Number.isSafeInteger(needed)) throw fail(`tensor '${name}': shape ${formatShape(shape)} of ${d} is too large to address`);
  const [begin, end] = offsets as number[];
  if (end - begin !== needed) {
    throw fail(`tensor '${name}': data_offsets [${begin},${end}] span ${end - begin} bytes, but shape ${formatShape(shape)} of ${d} needs ${needed}`);
  }
  return { name, dtype: d, shape: [...shape] as number[], begin, end };
}

/** Tensors must tile the buffer exactly: in range, no overlap, no gap, no trailing bytes. Sorts `entries` by offset. */
function checkLayout(fail: (m: string) => Error, entries: HeaderEntry[], bufferLength: number): void {
  for (const e of entries) {
    if (e.end > bufferLength) {
      throw fail(`tensor '${e.name}': data_offsets [${e.begin},${e.end}] run past the end of the data buffer, which has ${bufferLength} bytes (file truncated?)`);
    }
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const e of entries) {
    if (e.begin < covered && previous !== undefined) {
      throw fail(`tensor '${e.name}' bytes [${e.begin},${e.end}) overlap tensor '${previous.name}' bytes [${previous.begin},${previous.end})`);
    }
    if (e.begin > covered) {
      throw fail(`bytes [${covered},${e.begin}) of the data buffer belong to no tensor; expected tensors to cover it without gaps`);
    }
    covered = e.end;
    previous = e;
  }
  if (covered !== bufferLength) {
    throw fail(`data buffer has ${bufferLength} bytes but the tensors cover ${covered}; ${bufferLength - covered} trailing bytes`);
  }
}

/** The tensor in `src`; `owned`: src is a fresh buffer of exactly its bytes, so it can become the array without a copy. */
function decode(src: Uint8Array, owned: boolean, dtype: SafetensorsDType, float: ParseOptions['float']): SafetensorsData {
  switch (dtype) {
    case 'F64': {
      const a = new Float64Array(hostOrder(src, owned, 8));
      return float === 'float32' ? Float32Array.from(a) : a;
    }
    case 'F32': {
      const a = new Float32Array(hostOrder(src, owned, 4));
      return float === 'float64' ? Float64Array.from(a) : a;
    }
    case 'F16':
    case 'BF16': {
      const toFloatBits = dtype === 'F16' ? halfBitsToFloatBits : bfloatBitsToFloatBits;
      const out = new Float32Array(src.length / 2);
      const bits = new Uint32Array(out.buffer); // same elements as `out`, written bit-exactly
      for (let i = 0; i < out.length; i++) bits[i] = toFloatBits(src[2 * i] | (src[2 * i + 1] << 8));
      return float === 'float64' ? Float64Array.from(out) : out;
    }
    case 'I32':
      return new Int32Array(hostOrder(src, owned, 4));
    case 'I64':
      return new BigInt64Array(hostOrder(src, owned, 8));
  }
}

/** Little-endian elements of `width` bytes as an aligned buffer in host byte order: src's own when owned, else a copy. */
function hostOrder(src: Uint8Array, owned: boolean, width: number): ArrayBuffer {
  const aligned = owned ? src : new Uint8Array(src); // not src.slice(): on a Node Buffer that is a view, not a copy
  if (!HOST_LITTLE_ENDIAN) swapBytes(aligned, width);
  return aligned.buffer as ArrayBuffer;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

// ---------------------------------------------------------------- serialize

/**
 * The file's bytes, laid out as the reference writer does: tensors sorted by dtype (I64, F64,
 * F32, I32, BF16, F16) then by name, packed without gaps; `__metadata__` first with sorted keys
 * (omitted when empty); compact JSON padded with spaces to a multiple of 8 bytes.
 */
export function serializeSafetensors(tensors: TensorsToWrite, metadata: Record<string, string> = {}): Uint8Array {
  return serializeIn('serializeSafetensors', tensors, metadata);
}

/** Writes atomically: a crash leaves the old file or the new one, never a torn file. */
export async function writeSafetensorsFile(path: string, tensors: TensorsToWrite, metadata: Record<string, string> = {}): Promise<void> {
  const bytes = serializeIn(`writeSafetensorsFile(${path})`, tensors, metadata);
  await writeFileAtomic(path, bytes);
}

interface EncodedTensor {
  name: string;
  dtype: SafetensorsDType;
  shape: readonly number[];
  bytes: Uint8Array;
}

function serializeIn(where: string, tensors: TensorsToWrite, metadata: Record<string, string>): Uint8Array {
  const fail = (msg: string): SafetensorsError => new SafetensorsError(`${where}: ${msg}`);
  if (!(tensors instanceof Map) && !isPlainObject(tensors)) {
    throw fail(`tensors must be a Map or an object of {shape, data}, got ${preview(tensors)}`);
  }
  if (!isPlainObject(metadata)) throw fail(`metadata must be an object of strings, got ${preview(metadata)}`);
  const metaKeys = Object.keys(metadata).sort(compareUtf8);
  for (const k of metaKeys) {
    if (typeof metadata[k] !== 'string') throw fail(`metadata value '${k}' must be a string, got ${preview(metadata[k])}`);
  }

  const encoded: EncodedTensor[] = [];
  for (const [name, t] of tensors instanceof Map ? tensors : Object.entries(tensors)) {
    if (typeof name !== 'string') throw fail(`tensor names must be strings, got ${preview(name)}`);
    if (name === '__metadata__') throw fail(`'__metadata__' is reserved for the metadata and cannot name a tensor`);
    encoded.push(encodeTensor(fail, name, t));
  }
  encoded.sort((a, b) => REFERENCE_DTYPE_ORDER[b.dtype] - REFERENCE_DTYPE_ORDER[a.dtype] || compareUtf8(a.name, b.name));

  const parts: string[] = [];
  if (metaKeys.length > 0) {
    parts.push(`"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const e of encoded) {
    const end = offset + e.bytes.length;
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8; // the data then starts 8-byte aligned

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // spaces
  let at = 8 + headerLength;
  for (const e of encoded) {
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return out;
}

function encodeTensor(fail: (m: string) => Error, name: string, t: TensorToWrite): EncodedTensor {
  if (t === null || typeof t !== 'object' || !('shape' in t) || !('data' in t)) {
    throw fail(`tensor '${name}': expected {shape, data[, dtype]}, got ${preview(t)}`);
  }
  const { shape, data } = t;
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
    throw fail(`tensor '${name}': shape must be a list of non-negative integers, got ${preview(shape)}`);
  }
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    throw fail(`tensor '${name}': data must be an array or typed array, got ${preview(data)}`);
  }
  const dtype = t.dtype === 'float32' ? 'F32' : t.dtype === 'float64' ? 'F64' : (t.dtype ?? defaultDType(data));
  if (!SAFETENSORS_DTYPES.includes(dtype)) {
    throw fail(`tensor '${name}': dtype must be one of ${SAFETENSORS_DTYPES.join(', ')}, got ${preview(dtype)}`);
  }
  const count = shape.reduce((n: number, s: number) => n * s, 1);
  if (data.length !== count) {
    throw fail(`tensor '${name}': data has ${data.length} elements, shape ${formatShape(shape)} needs ${count}`);
  }
  const isBig = data instanceof BigInt64Array;
  if (isBig && dtype !== 'I64') throw fail(`tensor '${name}': BigInt64Array data can only be written as I64, not ${dtype}`);
  const numbers = data as ArrayLike<number>;
  let elements: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint16Array;
  switch (dtype) {
    case 'F64':
      elements = data instanceof Float64Array ? data : Float64Array.from(numbers);
      break;
    case 'F32':
      elements = data instanceof Float32Array ? data : Float32Array.from(numbers); // rounds float64 to nearest
      break;
    case 'F16':
    case 'BF16': {
      const f32 = data instanceof Float32Array ? data : Float32Array.from(numbers);
      const bits = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
      const toBits = dtype === 'F16' ? floatBitsToHalfBits : floatBitsToBfloatBits;
      elements = new Uint16Array(count);
      for (let i = 0; i < count; i++) elements[i] = toBits(bits[i]);
      break;
    }
    case 'I32':
      if (data instanceof Int32Array) elements = data;
      else {
        checkIntegers(fail, name, numbers, -0x80000000, 0x7fffffff, 'I32');
        elements = Int32Array.from(numbers);
      }
      break;
    case 'I64':
      if (isBig) elements = data;
      else {
        checkIntegers(fail, name, numbers, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'I64');
        elements = BigInt64Array.from(Array.from(numbers, (v) => BigInt(v)));
      }
      break;
  }
  const bytes = new Uint8Array(elements.buffer, elements.byteOffset, elements.byteLength).slice();
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, elements.BYTES_PER_ELEMENT);
  return { name, dtype, shape: [...shape], bytes };
}

function defaultDType(data: object): SafetensorsDType {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof BigInt64Array) return 'I64';
  return 'F32';
}

function checkIntegers(fail: (m: string) => Error, name: string, data: ArrayLike<number>, min: number, max: number, dtype: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw fail(`tensor '${name}': element ${i} is ${v}; ${dtype} needs integers in [${min}, ${max}]`);
    }
  }
}

// ---------------------------------------------------------------- helpers

/** Byte-wise UTF-8 order, as the reference writer compares names (differs from UTF-16 order above U+FFFF). */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function preview(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  const kind = v === null ? '' : Array.isArray(v) ? 'array ' : typeof v === 'object' ? 'object ' : `${typeof v} `;
  return kind + (s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
