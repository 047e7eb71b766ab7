import { allocFloat, dtypeOf, type DType, type FloatArray } from './dtype.js';
import { formatShape, ShapeError } from './errors.js';

/**
 * A dense row-major array with a shape. Tensors that take part in autograd carry `grad`
 * (same shape, allocated on first accumulation) and `requiresGrad`.
 */
export class Tensor {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  requiresGrad: boolean;
  grad: FloatArray | null = null;
  /** Optional name, used by state dicts and error messages. */
  name: string | undefined;

  constructor(data: FloatArray, shape: readonly number[], requiresGrad = false) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data has ${data.length} elements, shape ${formatShape(shape)} needs ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  static zeros(shape: readonly number[], dtype: DType = 'float32', requiresGrad = false): Tensor {
    return new Tensor(allocFloat(dtype, shapeSize(shape)), shape, requiresGrad);
  }

  static from(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const data = allocFloat(dtype, values.length);
    data.set(values as ArrayLike<number>);
    return new Tensor(data, shape);
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The gradient buffer, allocated (zeroed) on first use. */
  gradBuffer(): FloatArray {
    if (this.grad === null) this.grad = allocFloat(this.dtype, this.data.length);
    return this.grad;
  }

  /** Adds `g` into this tensor's gradient. */
  accumulateGrad(g: FloatArray): void {
    const dst = this.gradBuffer();
    if (g.length !== dst.length) {
      throw new ShapeError(`Tensor.accumulateGrad: gradient has ${g.length} elements, expected ${dst.length}`);
    }
    for (let i = 0; i < dst.length; i++) dst[i] += g[i]!;
  }

  zeroGrad(): void {
    if (this.grad !== null) this.grad.fill(0);
  }

  /** A tensor sharing this one's data under another shape of the same size (no autograd link). */
  reshapeData(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape);
  }

  clone(): Tensor {
    const t = new Tensor(this.data.slice() as FloatArray, this.shape, this.requiresGrad);
    t.name = this.name;
    return t;
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`invalid shape ${formatShape(shape)}: dimensions must be non-negative integers`);
    n *= d;
  }
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks `t.shape` against `expected`, where a string entry is a named free dimension
 * (bound on first sight and checked after). Returns the bindings.
 */
export function expectShape(
  where: string,
  what: string,
  t: { shape: readonly number[] },
  expected: readonly (number | string)[],
  bindings: Record<string, number> = {},
): Record<string, number> {
  const desc = `[${expected.map((e) => (typeof e === 'string' && bindings[e] !== undefined ? `${e}=${bindings[e]}` : String(e))).join(', ')}]`;
  const ok =
    t.shape.length === expected.length &&
    expected.every((e, i) => {
      const d = t.shape[i]!;
      if (typeof e === 'number') return d === e;
      if (bindings[e] === undefined) {
        bindings[e] = d;
        return true;
      }
      return bindings[e] === d;
    });
  if (!ok) throw new ShapeError(`${where}: ${what} has shape ${formatShape(t.shape)}, expected ${desc}`);
  return bindings;
}
