/** Ops that move data without arithmetic: reshape, concat, slice, transpose, detach. */
import { recordOp } from '../autograd/tape.js';
import { allocFloat, type FloatArray } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import { shapeSize, Tensor } from '../tensor.js';

/** Same data under a new shape (sizes must agree; one dimension may be -1). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = resolveShape(x, shape);
  const y = new Tensor(x.data, resolved);
  recordOp([x], [y], () => {
    if (y.grad) x.accumulateGrad(y.grad);
  });
  return y;
}

function resolveShape(x: Tensor, shape: readonly number[]): number[] {
  const free = shape.indexOf(-1);
  const out = [...shape];
  if (free >= 0) {
    const known = shape.reduce((n, d, i) => (i === free ? n : n * d), 1);
    out[free] = known === 0 ? 0 : x.size / known;
  }
  if (shapeSize(out) !== x.size || !out.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`reshape: cannot view shape ${formatShape(x.shape)} (${x.size} elements) as ${formatShape(shape)}`);
  }
  return out;
}

/** A tensor with the same data and no gradient link (truncated BPTT cuts state here). */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape);
}

/** Splits a shape at `axis` into (outer, axis length, inner). */
function axisSplit(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

function normAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Concatenates along `axis`; all other dimensions must agree. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new ShapeError('concat: expected at least one tensor, got none');
  const first = xs[0]!;
  const ax = normAxis(axis, first.rank, 'concat');
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== ax && d !== first.shape[i]) || x.dtype !== first.dtype) {
      throw new ShapeError(`concat: shapes ${xs.map((t) => formatShape(t.shape)).join(', ')} (${xs.map((t) => t.dtype).join(', ')}) differ outside axis ${ax}`);
    }
  }
  const shape = [...first.shape];
  shape[ax] = xs.reduce((n, x) => n + x.shape[ax]!, 0);
  const [outer, total, inner] = axisSplit(shape, ax);
  const out = allocFloat(first.dtype, shapeSize(shape));
  let offset = 0;
  for (const x of xs) {
    const len = x.shape[ax]! * inner;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * len, o * len + len), o * total * inner + offset);
    offset += len;
  }
  const y = new Tensor(out, shape);
  recordOp(xs, [y], () => {
    if (!y.grad) return;
    const g = y.grad;
    let off = 0;
    for (const x of xs) {
      const len = x.shape[ax]! * inner;
      if (x.requiresGrad) {
        const dst = x.gradBuffer();
        for (let o = 0; o < outer; o++) {
          const src = o * total * inner + off;
          const d = o * len;
          for (let k = 0; k < len; k++) dst[d + k] += g[src + k]!;
        }
      }
      off += len;
    }
  });
  return y;
}

/** Elements [start, end) along `axis`. */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = normAxis(axis, x.rank, 'slice');
  const n = x.shape[ax]!;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ShapeError(`slice: range [${start}, ${end}) is outside axis ${ax} of length ${n} (shape ${formatShape(x.shape)})`);
  }
  const [outer, , inner] = axisSplit(x.shape, ax);
  const shape = [...x.shape];
  shape[ax] = end - start;
  const len = (end - start) * inner;
  const out = allocFloat(x.dtype, outer * len);
  for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * n * inner + start * inner, o * n * inner + start * inner + len), o * len);
  const y = new Tensor(out, shape);
  recordOp([x], [y], () => {
    if (!y.grad) return;
    const g = y.grad;
    const dst = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      const d = o * n * inner + start * inner;
      for (let k = 0; k < len; k++) dst[d + k] += g[o * len + k]!;
    }
  });
  return y;
}

/** Swaps the first two axes: [A, B, ...rest] → [B, A, ...rest] (batch-first ↔ sequence-first). */
export function swapLeadingAxes(x: Tensor): Tensor {
  if (x.rank < 2) throw new ShapeError(`swapLeadingAxes: expected rank ≥ 2, got shape ${formatShape(x.shape)}`);
  const [A, B] = x.shape as [number, number];
  const inner = x.size / (A * B || 1);
  const out = swap(x.data, A, B, inner);
  const y = new Tensor(out, [B, A, ...x.shape.slice(2)]);
  recordOp([x], [y], () => {
    if (y.grad) x.accumulateGrad(swap(y.grad, B, A, inner));
  });
  return y;
}

function swap(src: FloatArray, A: number, B: number, inner: number): FloatArray {
  const out = allocFloat(src instanceof Float32Array ? 'float32' : 'float64', src.length);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) out.set(src.subarray((a * B + b) * inner, (a * B + b + 1) * inner), (b * A + a) * inner);
  }
  return out;
}
