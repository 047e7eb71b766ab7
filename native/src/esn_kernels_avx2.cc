// ESN kernels for AVX2 + FMA (4 float64 lanes): compiled with -mavx2 -mfma; only called after
// cpu_features.cc found those features.
#include <immintrin.h>

#include <cstdint>

#include "esn_cholesky.h"
#include "esn_kernels.h"

namespace recurrent {
namespace {

using vd = __m256d;
constexpr int DL = 4;

alignas(32) const int64_t kTailMask[8] = {-1, -1, -1, -1, 0, 0, 0, 0};
inline __m256i tail_mask(int n) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTailMask + 4 - n)); }

inline vd d_zero() { return _mm256_setzero_pd(); }
inline vd d_load(const double* p) { return _mm256_loadu_pd(p); }
inline void d_store(double* p, vd v) { _mm256_storeu_pd(p, v); }
inline vd d_load_part(const double* p, int n) { return _mm256_maskload_pd(p, tail_mask(n)); }
inline void d_store_part(double* p, vd v, int n) { _mm256_maskstore_pd(p, tail_mask(n), v); }
inline vd d_set1(double x) { return _mm256_set1_pd(x); }
inline vd d_fma(vd a, vd b, vd c) { return _mm256_fmadd_pd(a, b, c); }
inline vd d_add(vd a, vd b) { return _mm256_add_pd(a, b); }
inline vd d_sub(vd a, vd b) { return _mm256_sub_pd(a, b); }
inline vd d_mul(vd a, vd b) { return _mm256_mul_pd(a, b); }
inline vd d_div(vd a, vd b) { return _mm256_div_pd(a, b); }
inline vd d_min(vd a, vd b) { return _mm256_min_pd(a, b); }
inline vd d_max(vd a, vd b) { return _mm256_max_pd(a, b); }
inline vd d_abs(vd a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
inline vd d_copysign(vd mag, vd sign) {
  return _mm256_or_pd(mag, _mm256_and_pd(sign, _mm256_set1_pd(-0.0)));
}
inline vd d_round(vd a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
// 2^k for integral k in [−1022, 1023]: adding 1.5 · 2^52 puts k in the low mantissa bits
// (AVX2 has no float64 → int64 conversion); the shift keeps the 11 exponent bits of k + 1023.
inline vd d_pow2i(vd k) {
  const __m256i bits = _mm256_castpd_si256(_mm256_add_pd(k, _mm256_set1_pd(6755399441055744.0)));
  const __m256i e = _mm256_add_epi64(bits, _mm256_set1_epi64x(1023));
  return _mm256_castsi256_pd(_mm256_slli_epi64(e, 52));
}
// Scalar loads and two inserts: faster than vgatherdpd on the CPUs measured (bench/esn).
inline vd d_gather(const double* base, const int32_t* idx) {
  const __m128d lo = _mm_loadh_pd(_mm_load_sd(base + idx[0]), base + idx[1]);
  const __m128d hi = _mm_loadh_pd(_mm_load_sd(base + idx[2]), base + idx[3]);
  return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}
inline vd d_round_f32(vd a) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(a)); }

#include "esn_simd.inc"
#include "esn_cholesky_simd.inc"

constexpr EsnKernelTable kTable = make_esn_table(Isa::avx2);
constexpr CholeskyKernelTable kCholeskyTable = make_cholesky_table(Isa::avx2);

}  // namespace

const EsnKernelTable& esn_avx2_kernels() { return kTable; }
const CholeskyKernelTable& cholesky_avx2_kernels() { return kCholeskyTable; }

}  // namespace recurrent
