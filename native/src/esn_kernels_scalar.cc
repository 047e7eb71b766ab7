// ESN kernels without SIMD (one float64 lane): the fallback for CPUs without AVX2 and other
// architectures, compiled without ISA flags. The same algorithms as the vector levels.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "esn_cholesky.h"
#include "esn_kernels.h"

namespace recurrent {
namespace {

using vd = double;
constexpr int DL = 1;

inline vd d_zero() { return 0.0; }
inline vd d_load(const double* p) { return *p; }
inline void d_store(double* p, vd v) { *p = v; }
inline vd d_load_part(const double* p, int n) { return n > 0 ? *p : 0.0; }
inline void d_store_part(double* p, vd v, int n) {
  if (n > 0) *p = v;
}
inline vd d_set1(double x) { return x; }
// Without FMA hardware std::fma is a slow library call; a separate multiply and add is used.
inline vd d_fma(vd a, vd b, vd c) { return a * b + c; }
inline vd d_add(vd a, vd b) { return a + b; }
inline vd d_sub(vd a, vd b) { return a - b; }
inline vd d_mul(vd a, vd b) { return a * b; }
inline vd d_div(vd a, vd b) { return a / b; }
inline vd d_min(vd a, vd b) { return a < b ? a : b; }  // NaN in b propagates, as minpd
inline vd d_max(vd a, vd b) { return a > b ? a : b; }  // NaN in either gives b, as maxpd
inline vd d_abs(vd a) { return std::fabs(a); }
inline vd d_copysign(vd mag, vd sign) { return std::copysign(mag, sign); }
inline vd d_round(vd a) { return std::nearbyint(a); }
inline vd d_pow2i(vd k) {
  if (std::isnan(k)) return k;
  const uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(k) + 1023) << 52;
  double out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}
inline vd d_gather(const double* base, const int32_t* idx) { return base[*idx]; }
inline vd d_round_f32(vd a) { return static_cast<double>(static_cast<float>(a)); }

#include "esn_simd.inc"
#include "esn_cholesky_simd.inc"

constexpr EsnKernelTable kTable = make_esn_table(Isa::scalar);
constexpr CholeskyKernelTable kCholeskyTable = make_cholesky_table(Isa::scalar);

}  // namespace

const EsnKernelTable& esn_scalar_kernels() { return kTable; }
const CholeskyKernelTable& cholesky_scalar_kernels() { return kCholeskyTable; }

}  // namespace recurrent
