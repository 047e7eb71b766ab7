// AVX-512 kernels: compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma; only called
// after cpu_features.cc found those features.
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <utility>

#include "kernels.h"

namespace recurrent {
namespace {

using vf = __m512;
constexpr int VLEN = 16;
constexpr int MR = 12;  // 24 accumulators + 2 B vectors + 1 broadcast of the 32 zmm registers

inline vf vzero() { return _mm512_setzero_ps(); }
inline vf vload(const float* p) { return _mm512_loadu_ps(p); }
inline void vstore(float* p, vf v) { _mm512_storeu_ps(p, v); }
inline vf vload_part(const float* p, int n) {
  return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1), p);
}
inline void vstore_part(float* p, vf v, int n) {
  _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1), v);
}
inline vf vset1(float x) { return _mm512_set1_ps(x); }
inline vf vfma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
inline vf vsub(vf a, vf b) { return _mm512_sub_ps(a, b); }
inline vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
inline vf vdiv(vf a, vf b) { return _mm512_div_ps(a, b); }
// The all-lanes maskz forms: GCC 12's plain forms start from _mm512_undefined_*, which
// -Wmaybe-uninitialized reports inside its own header.
constexpr __mmask16 kAll = 0xFFFF;
inline vf vmin(vf a, vf b) { return _mm512_maskz_min_ps(kAll, a, b); }
inline vf vmax(vf a, vf b) { return _mm512_maskz_max_ps(kAll, a, b); }
inline vf vabs(vf a) { return _mm512_abs_ps(a); }
inline vf vcopysign(vf mag, vf sign) {
  return _mm512_or_ps(mag, _mm512_and_ps(sign, _mm512_set1_ps(-0.0f)));
}
inline vf vselect_lt(vf a, vf b, vf if_less, vf otherwise) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), otherwise, if_less);
}
inline vf vround(vf a) { return _mm512_maskz_roundscale_ps(kAll, a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline vf vpow2i(vf n) {
  const __m512i e = _mm512_add_epi32(_mm512_maskz_cvtps_epi32(kAll, n), _mm512_set1_epi32(127));
  return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(kAll, e, 23));
}

/** r[k][j] = r[j][k]: a 16 × 16 transpose in three rounds (pairs of rows, 4 × 4 blocks inside
 *  128-bit lanes, then the lanes). */
inline void vtranspose(vf (&r)[16]) {
  vf t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_maskz_unpacklo_ps(kAll, r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_maskz_unpackhi_ps(kAll, r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; ++i) {
    r[4 * i] = _mm512_maskz_shuffle_ps(kAll, t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 1] = _mm512_maskz_shuffle_ps(kAll, t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[4 * i + 2] = _mm512_maskz_shuffle_ps(kAll, t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 3] = _mm512_maskz_shuffle_ps(kAll, t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int h = 0; h < 2; ++h)
    for (int i = 0; i < 4; ++i) {
      t[8 * h + i] = _mm512_maskz_shuffle_f32x4(kAll, r[8 * h + i], r[8 * h + 4 + i], 0x88);
      t[8 * h + 4 + i] = _mm512_maskz_shuffle_f32x4(kAll, r[8 * h + i], r[8 * h + 4 + i], 0xdd);
    }
  for (int i = 0; i < 8; ++i) {
    r[i] = _mm512_maskz_shuffle_f32x4(kAll, t[i], t[8 + i], 0x88);
    r[8 + i] = _mm512_maskz_shuffle_f32x4(kAll, t[i], t[8 + i], 0xdd);
  }
}

#include "simd_kernels.inc"

constexpr KernelTable kTable = make_table(Isa::avx512, std::make_integer_sequence<int, MR>{});

}  // namespace

const KernelTable& avx512_kernels() { return kTable; }

}  // namespace recurrent
