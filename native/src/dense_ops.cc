#include "dense_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels.h"

namespace recurrent {

bool parse_unary_op(const char* name, UnaryOp* out) {
  static const struct { const char* name; UnaryOp op; } ops[] = {
      {"tanh", UnaryOp::tanh}, {"sigmoid", UnaryOp::sigmoid}, {"relu", UnaryOp::relu},
      {"exp", UnaryOp::exp},   {"log", UnaryOp::log},         {"neg", UnaryOp::neg},
      {"square", UnaryOp::square}, {"sqrt", UnaryOp::sqrt}};
  for (const auto& o : ops)
    if (std::strcmp(name, o.name) == 0) {
      *out = o.op;
      return true;
    }
  return false;
}

void add_bias(const float* x, const float* bias, int64_t R, int64_t C, float* y) {
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c) y[r * C + c] = x[r * C + c] + bias[c];
}

void sum_rows(const float* x, int64_t R, int64_t C, float* out) {
  std::fill(out, out + C, 0.0f);
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c) out[c] += x[r * C + c];
}

void unary(UnaryOp op, const float* x, int64_t n, float* y) {
  const KernelTable& k = kernels();
  switch (op) {
    case UnaryOp::tanh: k.tanh(x, y, n); break;
    case UnaryOp::sigmoid: k.sigmoid(x, y, n); break;
    case UnaryOp::exp: k.exp(x, y, n); break;
    case UnaryOp::relu: for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f; break;
    case UnaryOp::log: for (int64_t i = 0; i < n; ++i) y[i] = std::log(x[i]); break;
    case UnaryOp::neg: for (int64_t i = 0; i < n; ++i) y[i] = -x[i]; break;
    case UnaryOp::square: for (int64_t i = 0; i < n; ++i) y[i] = x[i] * x[i]; break;
    case UnaryOp::sqrt: for (int64_t i = 0; i < n; ++i) y[i] = std::sqrt(x[i]); break;
  }
}

void unary_backward(UnaryOp op, const float* x, const float* y, const float* dy, int64_t n, float* dx) {
  switch (op) {
    case UnaryOp::tanh: for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]); break;
    case UnaryOp::sigmoid: for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]); break;
    case UnaryOp::relu: for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0 ? dy[i] : 0.0f; break;
    case UnaryOp::exp: for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i]; break;
    case UnaryOp::log: for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] / x[i]; break;
    case UnaryOp::neg: for (int64_t i = 0; i < n; ++i) dx[i] = -dy[i]; break;
    case UnaryOp::square: for (int64_t i = 0; i < n; ++i) dx[i] = 2.0f * x[i] * dy[i]; break;
    case UnaryOp::sqrt: for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] / (2.0f * y[i]); break;
  }
}

void softmax(const float* x, int64_t R, int64_t C, float* y) {
  const KernelTable& k = kernels();
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * C;
    float* yr = y + r * C;
    float max = -std::numeric_limits<float>::infinity();
    for (int64_t c = 0; c < C; ++c) max = std::max(max, xr[c]);
    for (int64_t c = 0; c < C; ++c) yr[c] = xr[c] - max;
    k.exp(yr, yr, C);
    double sum = 0;
    for (int64_t c = 0; c < C; ++c) sum += yr[c];
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t c = 0; c < C; ++c) yr[c] *= inv;
  }
}

void softmax_backward(const float* y, const float* dy, int64_t R, int64_t C, float* dx) {
  for (int64_t r = 0; r < R; ++r) {
    const float* yr = y + r * C;
    const float* dyr = dy + r * C;
    double dot = 0;
    for (int64_t c = 0; c < C; ++c) dot += static_cast<double>(yr[c]) * dyr[c];
    const float d = static_cast<float>(dot);
    for (int64_t c = 0; c < C; ++c) dx[r * C + c] = yr[c] * (dyr[c] - d);
  }
}

void softmax_cross_entropy(const float* logits, const int32_t* targets, const float* mask, int64_t N,
                           int64_t C, float* dlogits, double* loss_sum, double* count) {
  const KernelTable& k = kernels();
  double loss = 0, rows = 0;
  for (int64_t n = 0; n < N; ++n) {
    const float m = mask == nullptr ? 1.0f : mask[n];
    float* d = dlogits + n * C;
    if (m == 0.0f) {
      std::memset(d, 0, sizeof(float) * static_cast<size_t>(C));
      continue;
    }
    const float* l = logits + n * C;
    float max = -std::numeric_limits<float>::infinity();
    for (int64_t c = 0; c < C; ++c) max = std::max(max, l[c]);
    for (int64_t c = 0; c < C; ++c) d[c] = l[c] - max;
    k.exp(d, d, C);  // d = exp(l - max)
    double sum = 0;
    for (int64_t c = 0; c < C; ++c) sum += d[c];
    const double log_sum = std::log(sum) + max;
    const int32_t t = targets[n];
    loss += static_cast<double>(m) * (log_sum - l[t]);
    rows += m;
    const float scale = static_cast<float>(m / sum);
    for (int64_t c = 0; c < C; ++c) d[c] *= scale;
    d[t] -= m;
  }
  *loss_sum = loss;
  *count = rows;
}

void embedding_forward(const float* table, const int32_t* ids, int64_t n_ids, int64_t E, float* out) {
  for (int64_t n = 0; n < n_ids; ++n)
    std::memcpy(out + n * E, table + static_cast<int64_t>(ids[n]) * E, sizeof(float) * static_cast<size_t>(E));
}

void embedding_backward(float* d_table, const int32_t* ids, const float* d_out, int64_t n_ids, int64_t E) {
  for (int64_t n = 0; n < n_ids; ++n) {
    float* row = d_table + static_cast<int64_t>(ids[n]) * E;
    const float* src = d_out + n * E;
    for (int64_t e = 0; e < E; ++e) row[e] += src[e];
  }
}

}  // namespace recurrent
