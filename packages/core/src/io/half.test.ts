import { describe, expect, it } from 'vitest';
import { bfloatBitsToFloatBits, floatBitsToBfloatBits, floatBitsToHalfBits, halfBitsToFloatBits } from './half.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const valueOfBits = (bits: number): number => ((u32[0] = bits), f32[0]);
const bitsOfValue = (v: number): number => ((f32[0] = v), u32[0]);

/** binary16 value from the textbook formula, independent of the bit manipulation under test. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

const toHalf = (v: number): number => floatBitsToHalfBits(bitsOfValue(v));

describe('binary16', () => {
  it('decodes every one of the 65536 bit patterns to its exact value (-0, subnormals, inf, NaN)', () => {
    for (let h = 0; h < 0x10000; h++) {
      const got = valueOfBits(halfBitsToFloatBits(h));
      if (!Object.is(got, halfValue(h))) throw new Error(`half 0x${h.toString(16)}: got ${got}, expected ${halfValue(h)}`);
    }
    expect(valueOfBits(halfBitsToFloatBits(0x0001))).toBe(2 ** -24); // smallest subnormal
    expect(valueOfBits(halfBitsToFloatBits(0x03ff))).toBe(1023 * 2 ** -24); // largest subnormal
    expect(valueOfBits(halfBitsToFloatBits(0x7bff))).toBe(65504);
    expect(Object.is(valueOfBits(halfBitsToFloatBits(0x8000)), -0)).toBe(true);
  });

  it('encodes back to the same bits for every pattern, NaN payloads included', () => {
    for (let h = 0; h < 0x10000; h++) {
      const back = floatBitsToHalfBits(halfBitsToFloatBits(h));
      if (back !== h) throw new Error(`half 0x${h.toString(16)} came back as 0x${back.toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even, at every midpoint between neighbouring halves', () => {
    for (let h = 0; h < 0x7c00; h++) {
      const a = halfValue(h);
      const b = h + 1 === 0x7c00 ? 65536 : halfValue(h + 1); // 65536: where inf begins when rounding
      const mid = (a + b) / 2; // exact in binary32: one bit more than binary16 holds
      const midBits = bitsOfValue(mid);
      const tie = toHalf(mid);
      const above = floatBitsToHalfBits(midBits + 1);
      const below = h === 0 ? 0 : floatBitsToHalfBits(midBits - 1);
      const even = (h & 1) === 0 ? h : h + 1;
      if (tie !== even || above !== h + 1 || below !== h) {
        throw new Error(`between 0x${h.toString(16)} and next: tie ${tie}, above ${above}, below ${below}`);
      }
      if (toHalf(-mid) !== (even | 0x8000)) throw new Error(`negative tie at 0x${h.toString(16)}`);
    }
  });

  it('overflows to inf, underflows to signed zero and keeps NaN a NaN', () => {
    expect(toHalf(65519.99)).toBe(0x7bff);
    expect(toHalf(65520)).toBe(0x7c00);
    expect(toHalf(1e10)).toBe(0x7c00);
    expect(toHalf(-Infinity)).toBe(0xfc00);
    expect(toHalf(2 ** -26)).toBe(0);
    expect(toHalf(-(2 ** -26))).toBe(0x8000);
    expect(toHalf(1e-45)).toBe(0); // a binary32 subnormal
    // a binary32 NaN whose payload sits only in bits binary16 drops must stay NaN
    expect(floatBitsToHalfBits(0x7f800001) & 0x7c00).toBe(0x7c00);
    expect(floatBitsToHalfBits(0x7f800001) & 0x3ff).not.toBe(0);
  });
});

describe('bfloat16', () => {
  it('is the top half of binary32 and round-trips all 65536 patterns', () => {
    for (let b = 0; b < 0x10000; b++) {
      const bits = bfloatBitsToFloatBits(b);
      if (bits >>> 16 !== b || (bits & 0xffff) !== 0 || floatBitsToBfloatBits(bits) !== b) {
        throw new Error(`bfloat 0x${b.toString(16)}`);
      }
    }
    expect(valueOfBits(bfloatBitsToFloatBits(0x3f80))).toBe(1);
    expect(valueOfBits(bfloatBitsToFloatBits(0xc049))).toBe(-3.140625);
  });

  it('rounds to nearest even, overflows to inf and keeps NaN a NaN', () => {
    expect(floatBitsToBfloatBits(0x3f808000)).toBe(0x3f80); // tie, even below
    expect(floatBitsToBfloatBits(0x3f818000)).toBe(0x3f82); // tie, even above
    expect(floatBitsToBfloatBits(0x3f808001)).toBe(0x3f81);
    expect(floatBitsToBfloatBits(0x3f807fff)).toBe(0x3f80);
    expect(floatBitsToBfloatBits(0x7f7fffff)).toBe(0x7f80); // max binary32 -> inf
    expect(floatBitsToBfloatBits(0xff800000)).toBe(0xff80);
    expect(floatBitsToBfloatBits(0x7f800001)).toBe(0x7fc0); // payload only in dropped bits
    expect(floatBitsToBfloatBits(0xffc00000)).toBe(0xffc0);
  });
});
