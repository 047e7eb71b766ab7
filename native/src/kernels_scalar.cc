// Scalar kernels: compiled without ISA flags; the fallback on any CPU and the reference level
// of the conformance suite (RECURRENT_ISA=scalar).
#include <cmath>
#include <cstdint>
#include <utility>

#include "kernels.h"

namespace recurrent {
namespace {

constexpr int MR = 4;
constexpr int NR = 8;

template <int M>
void micro_kernel(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc) {
  float acc[M][NR] = {};
  for (int64_t k = 0; k < K; ++k) {
    for (int i = 0; i < M; ++i) {
      const float a = Ap[i];
      for (int j = 0; j < NR; ++j) acc[i][j] += a * Bp[j];
    }
    Ap += MR;
    Bp += NR;
  }
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < NR; ++j) C[i * ldc + j] += acc[i][j];
}

void tanh_array(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

void sigmoid_array(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    // Both branches keep exp's argument <= 0, so nothing overflows.
    y[i] = v >= 0 ? 1.0f / (1.0f + std::exp(-v)) : std::exp(v) / (1.0f + std::exp(v));
  }
}

void exp_array(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

template <int... Ms>
constexpr KernelTable make_table(std::integer_sequence<int, Ms...>) {
  return KernelTable{Isa::scalar, MR, NR, {nullptr, &micro_kernel<Ms + 1>...}, &tanh_array, &sigmoid_array, &exp_array};
}

constexpr KernelTable kTable = make_table(std::make_integer_sequence<int, MR>{});

}  // namespace

const KernelTable& scalar_kernels() { return kTable; }

}  // namespace recurrent
