// ESN kernels for AVX-512 (8 float64 lanes): compiled with -mavx512f -mavx512dq -mfma; only
// called after cpu_features.cc found those features.
#include <immintrin.h>

#include <cstdint>

#include "esn_cholesky.h"
#include "esn_kernels.h"

namespace recurrent {
namespace {

using vd = __m512d;
constexpr int DL = 8;
// The all-lanes maskz forms: GCC 12's plain forms start from _mm512_undefined_*, which
// -Wmaybe-uninitialized reports inside its own header.
constexpr __mmask8 kAll = 0xFF;

inline vd d_zero() { return _mm512_setzero_pd(); }
inline vd d_load(const double* p) { return _mm512_loadu_pd(p); }
inline void d_store(double* p, vd v) { _mm512_storeu_pd(p, v); }
inline vd d_load_part(const double* p, int n) { return _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << n) - 1), p); }
inline void d_store_part(double* p, vd v, int n) { _mm512_mask_storeu_pd(p, static_cast<__mmask8>((1u << n) - 1), v); }
inline vd d_set1(double x) { return _mm512_set1_pd(x); }
inline vd d_fma(vd a, vd b, vd c) { return _mm512_fmadd_pd(a, b, c); }
inline vd d_add(vd a, vd b) { return _mm512_add_pd(a, b); }
inline vd d_sub(vd a, vd b) { return _mm512_sub_pd(a, b); }
inline vd d_mul(vd a, vd b) { return _mm512_mul_pd(a, b); }
inline vd d_div(vd a, vd b) { return _mm512_div_pd(a, b); }
inline vd d_min(vd a, vd b) { return _mm512_maskz_min_pd(kAll, a, b); }
inline vd d_max(vd a, vd b) { return _mm512_maskz_max_pd(kAll, a, b); }
inline vd d_abs(vd a) { return _mm512_abs_pd(a); }
inline vd d_copysign(vd mag, vd sign) {
  return _mm512_or_pd(mag, _mm512_and_pd(sign, _mm512_set1_pd(-0.0)));
}
inline vd d_round(vd a) { return _mm512_maskz_roundscale_pd(kAll, a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
// 2^k for integral k in [−1022, 1023]: the exponent field built directly.
inline vd d_pow2i(vd k) {
  const __m512i e = _mm512_add_epi64(_mm512_maskz_cvtpd_epi64(kAll, k), _mm512_set1_epi64(1023));
  return _mm512_castsi512_pd(_mm512_maskz_slli_epi64(kAll, e, 52));
}
// Scalar loads and inserts: faster than vgatherdpd on the CPUs measured (bench/esn).
inline __m128d load2(const double* base, const int32_t* idx) {
  return _mm_loadh_pd(_mm_load_sd(base + idx[0]), base + idx[1]);
}
inline vd d_gather(const double* base, const int32_t* idx) {
  const __m256d lo = _mm256_insertf128_pd(_mm256_castpd128_pd256(load2(base, idx)), load2(base, idx + 2), 1);
  const __m256d hi = _mm256_insertf128_pd(_mm256_castpd128_pd256(load2(base, idx + 4)), load2(base, idx + 6), 1);
  return _mm512_maskz_insertf64x4(kAll, _mm512_castpd256_pd512(lo), hi, 1);
}
inline vd d_round_f32(vd a) { return _mm512_maskz_cvtps_pd(kAll, _mm512_maskz_cvtpd_ps(kAll, a)); }

#include "esn_simd.inc"
#include "esn_cholesky_simd.inc"

constexpr EsnKernelTable kTable = make_esn_table(Isa::avx512);
constexpr CholeskyKernelTable kCholeskyTable = make_cholesky_table(Isa::avx512);

}  // namespace

const EsnKernelTable& esn_avx512_kernels() { return kTable; }
const CholeskyKernelTable& cholesky_avx512_kernels() { return kCholeskyTable; }

}  // namespace recurrent
