/**
 * Compressed sparse row (CSR) matrices: the storage of the recurrent weights W.
 * Row i holds columns colIndex[rowStart[i] .. rowStart[i+1]) with values in the same range.
 */
import { EsnShapeError } from './errors.js';

export type FloatArray = Float32Array | Float64Array;

export interface CsrMatrix {
  rows: number;
  cols: number;
  rowStart: Int32Array; // [rows + 1]
  colIndex: Int32Array; // [nnz], sorted within each row
  values: FloatArray; // [nnz]
}

/** y = A x (y is overwritten). */
export function csrMatVec(a: CsrMatrix, x: ArrayLike<number>, y: FloatArray): void {
  const { rows, rowStart, colIndex, values } = a;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const end = rowStart[i + 1];
    for (let k = rowStart[i]; k < end; k++) s += values[k] * x[colIndex[k]];
    y[i] = s;
  }
}

/** Dense row-major copy [rows, cols] in float64. */
export function csrToDense(a: CsrMatrix): Float64Array {
  const out = new Float64Array(a.rows * a.cols); // [rows, cols]
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) out[i * a.cols + a.colIndex[k]] = a.values[k];
  }
  return out;
}

/** CSR copy of a dense row-major matrix [rows, cols], dropping exact zeros. */
export function csrFromDense(dense: ArrayLike<number>, rows: number, cols: number, dtype: 'float32' | 'float64' = 'float64'): CsrMatrix {
  if (dense.length !== rows * cols) {
    throw new EsnShapeError(`csrFromDense: got ${dense.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
  }
  let nnz = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nnz++;
  const rowStart = new Int32Array(rows + 1);
  const colIndex = new Int32Array(nnz);
  const values = dtype === 'float32' ? new Float32Array(nnz) : new Float64Array(nnz); // [nnz]
  let k = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = k;
    for (let j = 0; j < cols; j++) {
      const v = dense[i * cols + j];
      if (v !== 0) {
        colIndex[k] = j;
        values[k] = v;
        k++;
      }
    }
  }
  rowStart[rows] = k;
  return { rows, cols, rowStart, colIndex, values };
}

/** Checks the CSR invariants (sizes, monotone row starts, column bounds, finite values). */
export function checkCsr(where: string, a: CsrMatrix): void {
  const { rows, cols, rowStart, colIndex, values } = a;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new EsnShapeError(`${where}: CSR matrix has invalid size ${rows}x${cols}`);
  }
  if (rowStart.length !== rows + 1) {
    throw new EsnShapeError(`${where}: rowStart has length ${rowStart.length}, expected rows + 1 = ${rows + 1}`);
  }
  const nnz = rowStart[rows];
  if (rowStart[0] !== 0 || colIndex.length !== nnz || values.length !== nnz) {
    throw new EsnShapeError(
      `${where}: CSR arrays disagree: rowStart[0]=${rowStart[0]}, rowStart[rows]=${nnz}, colIndex ${colIndex.length}, values ${values.length}`,
    );
  }
  for (let i = 0; i < rows; i++) {
    if (rowStart[i + 1] < rowStart[i]) throw new EsnShapeError(`${where}: rowStart decreases at row ${i}`);
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      if (colIndex[k] < 0 || colIndex[k] >= cols) {
        throw new EsnShapeError(`${where}: column index ${colIndex[k]} at entry ${k} is outside [0, ${cols})`);
      }
      if (!Number.isFinite(values[k])) throw new RangeError(`${where}: value ${values[k]} at entry ${k} is not finite`);
    }
  }
}

export function csrNnz(a: CsrMatrix): number {
  return a.rowStart[a.rows];
}

/** A new CSR matrix with every value multiplied by `factor` (same pattern). */
export function csrScaled(a: CsrMatrix, factor: number): CsrMatrix {
  const values = a.values instanceof Float32Array ? new Float32Array(a.values.length) : new Float64Array(a.values.length); // [nnz]
  for (let k = 0; k < values.length; k++) values[k] = a.values[k] * factor;
  return { rows: a.rows, cols: a.cols, rowStart: a.rowStart.slice(), colIndex: a.colIndex.slice(), values };
}
