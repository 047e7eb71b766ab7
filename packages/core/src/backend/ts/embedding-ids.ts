/**
 * The embedding kernels' rule for ids, the same as the native binding's (i32_arg + check_ids in
 * native/src/dense_binding.cc), with the same messages: an Int32Array (a plain array or float
 * array would let 1.5 read across rows and NaN read row 0), every id in [0, V).
 */
export function checkEmbeddingIds(fn: string, ids: unknown, V: number): asserts ids is Int32Array {
  if (!(ids instanceof Int32Array)) throw new TypeError(`${fn}: ids: expected an Int32Array, got ${describe(ids)}`);
  const i = firstIdOutside(ids, V);
  if (i >= 0) throw new RangeError(`${fn}: id ${ids[i]} at position ${i} is outside [0, ${V})`);
}

/** The position of the first id outside [0, V), or -1 when all are in range. */
export function firstIdOutside(ids: Int32Array, V: number): number {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= V) return i;
  }
  return -1;
}

/** As native's describe(): the kind of a value, with the length of a typed array. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return `${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'number') return `number ${v}`;
  return typeof v;
}
