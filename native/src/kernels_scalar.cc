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

template <int M>
void micro_kernel_rows(int64_t K, const float* A, int64_t lda, const float* Bp, float* C, int64_t ldc) {
  float acc[M][NR] = {};
  for (int64_t k = 0; k < K; ++k) {
    for (int i = 0; i < M; ++i) {
      const float a = A[i * lda + k];
      for (int j = 0; j < NR; ++j) acc[i][j] += a * Bp[j];
    }
    Bp += NR;
  }
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < NR; ++j) C[i * ldc + j] += acc[i][j];
}

void pack_a_trans_panel(const float* src, int64_t lda, int rows, int64_t kc, float alpha, float* panel) {
  for (int64_t k = 0; k < kc; ++k) {
    for (int r = 0; r < rows; ++r) panel[k * MR + r] = alpha * src[k * lda + r];
    for (int r = rows; r < MR; ++r) panel[k * MR + r] = 0.0f;
  }
}

void pack_b_trans_panel(const float* src, int64_t ldb, int cols, int64_t K, float* panel) {
  for (int j = 0; j < cols; ++j)
    for (int64_t k = 0; k < K; ++k) panel[k * NR + j] = src[j * ldb + k];
  for (int64_t k = 0; k < K; ++k)
    for (int j = cols; j < NR; ++j) panel[k * NR + j] = 0.0f;
}

void gemv_rows(int64_t N, int64_t K, const float* W, int64_t ldw, const float* x, float* y) {
  for (int64_t n = 0; n < N; ++n) {
    float acc = 0.0f;
    for (int64_t k = 0; k < K; ++k) acc += W[n * ldw + k] * x[k];
    y[n] += acc;
  }
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

float sigmoid1(float v) { return v >= 0 ? 1.0f / (1.0f + std::exp(-v)) : std::exp(v) / (1.0f + std::exp(v)); }

void lstm_forward_row(int64_t width, int64_t H, const float* pre, const float* c_prev, float* acts, float* c,
                      float* h) {
  for (int64_t j = 0; j < width; ++j) {
    const float i = sigmoid1(pre[j]), f = sigmoid1(pre[H + j]), g = std::tanh(pre[2 * H + j]), o = sigmoid1(pre[3 * H + j]);
    acts[j] = i;
    acts[H + j] = f;
    acts[2 * H + j] = g;
    acts[3 * H + j] = o;
    c[j] = f * c_prev[j] + i * g;
    h[j] = o * std::tanh(c[j]);
  }
}

void lstm_backward_row(int64_t H, const float* acts, const float* c, const float* c_prev, const float* dy,
                       const float* dh, float* dc, float* dz) {
  for (int64_t j = 0; j < H; ++j) {
    const float i = acts[j], f = acts[H + j], g = acts[2 * H + j], o = acts[3 * H + j];
    const float tc = std::tanh(c[j]);
    const float dht = dh[j] + (dy != nullptr ? dy[j] : 0.0f);
    const float d_c = dc[j] + dht * o * (1.0f - tc * tc);
    dz[j] = d_c * g * i * (1.0f - i);
    dz[H + j] = d_c * c_prev[j] * f * (1.0f - f);
    dz[2 * H + j] = d_c * i * (1.0f - g * g);
    dz[3 * H + j] = dht * tc * o * (1.0f - o);
    dc[j] = d_c * f;
  }
}

void gru_forward_row(int64_t H, const float* pre, const float* gh, const float* b_hn, const float* h_prev,
                     float* acts, float* hn, float* h) {
  for (int64_t j = 0; j < H; ++j) {
    const float r = sigmoid1(pre[j] + gh[j]), z = sigmoid1(pre[H + j] + gh[H + j]);
    const float hv = gh[2 * H + j] + (b_hn != nullptr ? b_hn[j] : 0.0f);
    const float n = std::tanh(pre[2 * H + j] + r * hv);
    acts[j] = r;
    acts[H + j] = z;
    acts[2 * H + j] = n;
    hn[j] = hv;
    h[j] = (1.0f - z) * n + z * h_prev[j];
  }
}

void gru_backward_row(int64_t H, const float* acts, const float* hn, const float* h_prev, const float* dy, float* dh,
                      float* dgx, float* dgh) {
  for (int64_t j = 0; j < H; ++j) {
    const float r = acts[j], z = acts[H + j], n = acts[2 * H + j];
    const float dht = dh[j] + (dy != nullptr ? dy[j] : 0.0f);
    const float dzn = dht * (1.0f - z) * (1.0f - n * n);
    const float dzz = dht * (h_prev[j] - n) * z * (1.0f - z);
    const float dzr = dzn * hn[j] * r * (1.0f - r);
    dh[j] = dht * z;
    dgx[j] = dzr;
    dgx[H + j] = dzz;
    dgx[2 * H + j] = dzn;
    dgh[j] = dzr;
    dgh[H + j] = dzz;
    dgh[2 * H + j] = dzn * r;
  }
}

void column_sums(const float* g, int64_t N, int64_t ld, int64_t n, double* acc) {
  for (int64_t r = 0; r < N; ++r)
    for (int64_t c = 0; c < n; ++c) acc[c] += g[r * ld + c];
}

template <int... Ms>
constexpr KernelTable make_table(std::integer_sequence<int, Ms...>) {
  return KernelTable{Isa::scalar, MR, NR, {nullptr, &micro_kernel<Ms + 1>...}, {nullptr, &micro_kernel_rows<Ms + 1>...}, &pack_a_trans_panel, &pack_b_trans_panel, &gemv_rows, &tanh_array, &sigmoid_array, &exp_array, &lstm_forward_row, &lstm_backward_row, &gru_forward_row, &gru_backward_row, &column_sums};
}

constexpr KernelTable kTable = make_table(std::make_integer_sequence<int, MR>{});

}  // namespace

const KernelTable& scalar_kernels() { return kTable; }

}  // namespace recurrent
