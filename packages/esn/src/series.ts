/** Conversion of user sequences to flat row-major arrays [T, width], with shape and finiteness checks. */
import { EsnShapeError, checkFinite } from './errors.js';
import type { FloatArray } from './csr.js';

/** A sequence of T rows of `width` numbers: rows (number[][]), or flat row-major [T·width]. */
export type SeriesInput = readonly (readonly number[])[] | readonly number[] | Float64Array | Float32Array;

export interface Series {
  data: FloatArray; // [T, width]
  rows: number; // T
  width: number;
}

export function toSeries(where: string, name: string, input: SeriesInput, width: number, precision: 'float32' | 'float64' = 'float64'): Series {
  if (input === null || input === undefined || typeof input !== 'object' || typeof (input as { length?: unknown }).length !== 'number') {
    throw new TypeError(`${where}: ${name} must be an array of rows or a flat typed array [T, ${width}], got ${input === null ? 'null' : typeof input}`);
  }
  const alloc = (n: number): FloatArray => (precision === 'float32' ? new Float32Array(n) : new Float64Array(n));
  const len = input.length;
  if (len > 0 && Array.isArray(input) && Array.isArray(input[0])) {
    const rowsIn = input as readonly (readonly number[])[];
    const data = alloc(len * width);
    for (let t = 0; t < len; t++) {
      const row = rowsIn[t];
      if (!Array.isArray(row) || row.length !== width) {
        throw new EsnShapeError(
          `${where}: ${name} row ${t} has ${Array.isArray(row) ? `width ${row.length}` : `type ${typeof row}`}, expected width ${width}`,
        );
      }
      for (let j = 0; j < width; j++) data[t * width + j] = row[j];
    }
    checkFinite(where, name, data);
    return { data, rows: len, width };
  }
  if (width === 0) {
    throw new EsnShapeError(`${where}: ${name} has width 0; pass the number of steps instead`);
  }
  if (len % width !== 0) {
    throw new EsnShapeError(`${where}: ${name} has ${len} values, not a multiple of the expected width ${width} (shape [T, ${width}])`);
  }
  let data: FloatArray;
  if (precision === 'float64' && input instanceof Float64Array) data = input;
  else if (precision === 'float32' && input instanceof Float32Array) data = input;
  else {
    data = alloc(len);
    for (let i = 0; i < len; i++) data[i] = (input as ArrayLike<number>)[i];
  }
  checkFinite(where, name, data);
  return { data, rows: len / width, width };
}

/** Rows × columns as number[][] from a flat array [T, width]. */
export function toRows(data: ArrayLike<number>, width: number): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t * width < data.length; t++) rows.push(Array.from({ length: width }, (_, j) => data[t * width + j]));
  return rows;
}
