/** Element types the backends compute in. float64 is for gradient checks and references. */
export type DType = 'float32' | 'float64';

export type FloatArray = Float32Array | Float64Array;

export function allocFloat(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/** Copies `src` into a new array of `dtype` (rounding to float32 where asked). */
export function castFloat(src: ArrayLike<number>, dtype: DType): FloatArray {
  return dtype === 'float32' ? Float32Array.from(src) : Float64Array.from(src);
}
