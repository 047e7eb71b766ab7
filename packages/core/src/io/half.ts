/**
 * Bit-exact conversions between IEEE 754 binary16 (F16), bfloat16 (BF16) and binary32.
 * Working on bit patterns (not JS numbers) keeps -0, subnormals, infinities and NaN payloads.
 */

/** binary16 bits -> binary32 bits. Every half value is exactly representable in binary32. */
export function halfBitsToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) {
    // inf (mant 0) or NaN: keep the payload in the top mantissa bits
    return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  }
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0; // 112 = 127 - 15
  if (mant === 0) return sign >>> 0; // ±0
  // subnormal: value = mant * 2^-24; normalise so the leading 1 becomes implicit
  let e = 113; // biased exponent of 2^-14, lowered once per shift
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

/** binary32 bits -> binary16 bits, rounding to nearest, ties to even; overflow gives ±inf. */
export function floatBitsToHalfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exp = (f >>> 23) & 0xff;
  const mant = f & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00;
    // NaN: keep the top payload bits; if they are all zero, set the quiet bit so it stays NaN
    const payload = mant >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // result is subnormal or zero: shift the full significand (with implicit 1) right
    if (e < -10) return sign; // below half the smallest subnormal: rounds to ±0
    const full = mant | 0x800000;
    const shift = 14 - e; // 24-bit significand -> 10-bit subnormal mantissa
    const kept = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const up = rest > halfway || (rest === halfway && (kept & 1) === 1) ? 1 : 0;
    return sign | (kept + up); // a carry into bit 10 yields the smallest normal, which is right
  }
  const kept = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  const up = rest > 0x1000 || (rest === 0x1000 && (kept & 1) === 1) ? 1 : 0;
  return sign | (kept + up); // a carry may roll into the exponent, up to inf: also right
}

/** bfloat16 bits -> binary32 bits: bfloat16 is the top half of a binary32. */
export function bfloatBitsToFloatBits(b: number): number {
  return (b << 16) >>> 0;
}

/** binary32 bits -> bfloat16 bits, rounding to nearest, ties to even; NaN stays NaN. */
export function floatBitsToBfloatBits(f: number): number {
  if ((f & 0x7f800000) === 0x7f800000 && (f & 0x7fffff) !== 0) {
    // NaN: keep the top payload bits; if they are all zero, set the quiet bit so it stays NaN
    const top = (f >>> 16) & 0xffff;
    return (top & 0x7f) === 0 ? top | 0x40 : top;
  }
  const lsb = (f >>> 16) & 1;
  return ((f + 0x7fff + lsb) >>> 16) & 0xffff;
}
