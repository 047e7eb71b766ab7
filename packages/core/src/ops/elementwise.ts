import { recordOp } from '../autograd/tape.js';
import { allocFloat } from '../dtype.js';
import { formatShape, ShapeError } from '../errors.js';
import type { UnaryOp } from '../backend/contract.js';
import { backendFor } from '../backend/registry.js';
import { sameShape, Tensor } from '../tensor.js';

function checkSame(where: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) throw new ShapeError(`${where}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
  if (a.dtype !== b.dtype) throw new ShapeError(`${where}: dtypes ${a.dtype} and ${b.dtype} differ`);
}

export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const be = backendFor(x.dtype);
  const y = new Tensor(be.unary(op, x.data), x.shape);
  recordOp([x], [y], () => {
    if (y.grad) x.accumulateGrad(be.unaryBackward(op, x.data, y.data, y.grad));
  });
  return y;
}

export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);

export function add(a: Tensor, b: Tensor): Tensor {
  checkSame('add', a, b);
  const out = allocFloat(a.dtype, a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! + b.data[i]!;
  const y = new Tensor(out, a.shape);
  recordOp([a, b], [y], () => {
    if (!y.grad) return;
    if (a.requiresGrad) a.accumulateGrad(y.grad);
    if (b.requiresGrad) b.accumulateGrad(y.grad);
  });
  return y;
}

export function mul(a: Tensor, b: Tensor): Tensor {
  checkSame('mul', a, b);
  const out = allocFloat(a.dtype, a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! * b.data[i]!;
  const y = new Tensor(out, a.shape);
  recordOp([a, b], [y], () => {
    const g = y.grad;
    if (!g) return;
    if (a.requiresGrad) {
      const d = a.gradBuffer();
      for (let i = 0; i < d.length; i++) d[i] += g[i]! * b.data[i]!;
    }
    if (b.requiresGrad) {
      const d = b.gradBuffer();
      for (let i = 0; i < d.length; i++) d[i] += g[i]! * a.data[i]!;
    }
  });
  return y;
}

export function scale(x: Tensor, s: number): Tensor {
  const out = allocFloat(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * s;
  const y = new Tensor(out, x.shape);
  recordOp([x], [y], () => {
    const g = y.grad;
    if (!g) return;
    const d = x.gradBuffer();
    for (let i = 0; i < d.length; i++) d[i] += g[i]! * s;
  });
  return y;
}

/** Sum of all elements, a scalar [1]. */
export function sum(x: Tensor): Tensor {
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i]!;
  const out = allocFloat(x.dtype, 1);
  out[0] = s;
  const y = new Tensor(out, [1]);
  recordOp([x], [y], () => {
    const g = y.grad;
    if (!g) return;
    const d = x.gradBuffer();
    for (let i = 0; i < d.length; i++) d[i] += g[0]!;
  });
  return y;
}

/** Σ x ⊙ w for a constant w of the same size (a linear functional; used to seed gradient checks). */
export function dot(x: Tensor, w: ArrayLike<number>): Tensor {
  if (w.length !== x.size) throw new ShapeError(`dot: weights have ${w.length} elements, x has shape ${formatShape(x.shape)}`);
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i]! * w[i]!;
  const out = allocFloat(x.dtype, 1);
  out[0] = s;
  const y = new Tensor(out, [1]);
  recordOp([x], [y], () => {
    const g = y.grad;
    if (!g) return;
    const d = x.gradBuffer();
    for (let i = 0; i < d.length; i++) d[i] += g[0]! * w[i]!;
  });
  return y;
}

/** Multiplies by a fixed mask (dropout, masking): y = x ⊙ mask; mask has x's size. */
export function applyMask(x: Tensor, mask: ArrayLike<number>): Tensor {
  if (mask.length !== x.size) throw new ShapeError(`applyMask: mask has ${mask.length} elements, x has shape ${formatShape(x.shape)}`);
  const out = allocFloat(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * mask[i]!;
  const y = new Tensor(out, x.shape);
  recordOp([x], [y], () => {
    const g = y.grad;
    if (!g) return;
    const d = x.gradBuffer();
    for (let i = 0; i < d.length; i++) d[i] += g[i]! * mask[i]!;
  });
  return y;
}
