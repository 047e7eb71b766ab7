import { recordOp } from '../autograd/tape.js';
import { formatShape, ShapeError } from '../errors.js';
import { backendFor } from '../backend/registry.js';
import { Tensor } from '../tensor.js';

/** Looks up rows: table [V, E], ids of any shape S → [...S, E]. */
export function embedding(table: Tensor, ids: Int32Array, idsShape: readonly number[] = [ids.length]): Tensor {
  const [V, E] = table.shape as [number, number];
  const be = backendFor(table.dtype);
  const rows = be.embeddingForward(table.data, ids, V, E); // first: the kernel checks what ids are
  if (idsShape.reduce((n, d) => n * d, 1) !== ids.length) {
    throw new ShapeError(`embedding: ids have ${ids.length} elements, shape ${formatShape(idsShape)} needs a different count`);
  }
  const y = new Tensor(rows, [...idsShape, E]);
  recordOp([table], [y], () => {
    if (y.grad) be.embeddingBackward(table.gradBuffer(), ids, y.grad, V, E);
  });
  return y;
}
