/**
 * A minimal protocol-buffers writer: just what an ONNX model needs (varint and length-delimited
 * fields). Wire format: https://protobuf.dev/programming-guides/encoding/
 * A message is built as a list of already-encoded fields and joined once at the end.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** Unsigned LEB128 of a non-negative integer (safe up to 2^53). */
function varint(value) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint: expected a non-negative safe integer, got ${value}`);
  const bytes = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

function tag(field, wire) {
  return varint(field * 8 + wire);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One protobuf message under construction. Repeated fields: call the method once per value. */
export class Message {
  #parts = [];

  /** int32/int64/enum/bool field (non-negative values only: ONNX needs no others here). */
  int(field, value) {
    this.#parts.push(tag(field, WIRE_VARINT), varint(value));
    return this;
  }

  bytes(field, data) {
    const b = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.#parts.push(tag(field, WIRE_LEN), varint(b.length), b);
    return this;
  }

  string(field, text) {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field, sub) {
    return this.bytes(field, sub.encode());
  }

  encode() {
    return concat(this.#parts);
  }
}
