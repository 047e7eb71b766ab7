#include "sequence.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "thread_pool.h"
#include "workspace.h"

namespace recurrent {

int gate_count(const CellSpec& cell) {
  switch (cell.kind) {
    case CellKind::rnn: return 1;
    case CellKind::lstm: return 4;
    case CellKind::gru: return 3;
    case CellKind::mgu: return 2;
  }
  return 1;
}

size_t cache_size(const CellSpec& cell, const SeqDims& d) {
  const size_t tbh = static_cast<size_t>(d.T) * static_cast<size_t>(d.B) * static_cast<size_t>(d.H);
  switch (cell.kind) {
    case CellKind::rnn: return 2 * tbh;   // h_prev, h
    case CellKind::lstm: return 7 * tbh;  // h_prev, acts [i f g o], c_prev, c
    case CellKind::gru: return 5 * tbh;   // h_prev, acts [r z n], hn (reset after) or r⊙h (before)
    case CellKind::mgu: return 4 * tbh;   // h_prev, acts [f n], f⊙h
  }
  return 0;
}

void sequence_forward(const SeqForward& f) {
  float* cache = f.cache != nullptr ? f.cache : workspace().seq_cache.get(cache_size(f.cell, f.d));
  switch (f.cell.kind) {
    case CellKind::rnn: rnn_forward(f, cache); break;
    case CellKind::lstm: lstm_forward(f, cache); break;
    case CellKind::gru: gru_forward(f, cache); break;
    case CellKind::mgu: mgu_forward(f, cache); break;
  }
}

void sequence_backward(const SeqBackward& b) {
  switch (b.fwd->cell.kind) {
    case CellKind::rnn: rnn_backward(b); break;
    case CellKind::lstm: lstm_backward(b); break;
    case CellKind::gru: gru_backward(b); break;
    case CellKind::mgu: mgu_backward(b); break;
  }
}

const float* combined_bias(const SeqForward& f, int64_t skip_from, int64_t skip_to) {
  if (f.w.b_ih == nullptr && f.w.b_hh == nullptr) return nullptr;
  const int64_t GH = gate_count(f.cell) * f.d.H;
  float* bias = workspace().seq_bias.get(static_cast<size_t>(GH));
  for (int64_t r = 0; r < GH; ++r) {
    float v = f.w.b_ih != nullptr ? f.w.b_ih[r] : 0.0f;
    if (f.w.b_hh != nullptr && (r < skip_from || r >= skip_to)) v += f.w.b_hh[r];
    bias[r] = v;
  }
  return bias;
}

void project_inputs(const SeqForward& f, const float* bias, float* gx) {
  const int64_t N = f.d.T * f.d.B, GH = gate_count(f.cell) * f.d.H;
  // Both cores fill the rows (8 MiB for the LSTM training bench): serial, it was a tenth of a
  // two-thread step.
  const int64_t tasks = std::min<int64_t>(N, concurrent_threads());
  parallel_for(tasks, [&](int64_t task, int) {
    for (int64_t n = N * task / tasks; n < N * (task + 1) / tasks; ++n) {
      float* row = gx + n * GH;
      if (bias != nullptr) std::memcpy(row, bias, sizeof(float) * static_cast<size_t>(GH));
      else std::memset(row, 0, sizeof(float) * static_cast<size_t>(GH));
    }
  }, static_cast<double>(N) * GH >= 262144);  // 1 MiB
  gemm(false, true, N, GH, f.d.I, 1.0f, f.x, f.d.I, f.w.w_ih, f.d.I, 1.0f, gx, GH);
}

void for_batch_rows(const SeqForward& f, const std::function<void(int64_t, int64_t, int)>& fn) {
  const int64_t B = f.d.B;
  if (B <= 0) return;
  const double flops = 2.0 * f.d.T * B * gate_count(f.cell) * f.d.H * f.d.H;
  const int64_t worth = std::max<int64_t>(1, static_cast<int64_t>(flops / kMinParallelFlops));
  const int64_t threads = std::min<int64_t>({static_cast<int64_t>(pool_size()), B, worth});
  const int64_t rows = (B + threads - 1) / threads;
  const int64_t tasks = (B + rows - 1) / rows;
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t b0 = task * rows;
    fn(b0, std::min(B, b0 + rows), thread);
  });
}

void add_column_sums(const float* g, int64_t N, int64_t ld, int64_t n, float* out) {
  // Accumulated in double: N = T*B rows can be thousands. Threads take column ranges, so each
  // column is summed in the same order whatever the thread count.
  std::vector<double> acc(static_cast<size_t>(n), 0.0);
  const bool parallel = static_cast<double>(N) * n >= 262144;
  const int64_t tasks = parallel ? std::min<int64_t>(concurrent_threads(), (n + 15) / 16) : 1;
  parallel_for(tasks, [&](int64_t task, int) {
    const int64_t c0 = (n * task / tasks) / 16 * 16, c1 = task + 1 == tasks ? n : (n * (task + 1) / tasks) / 16 * 16;
    kernels().column_sums(g + c0, N, ld, c1 - c0, acc.data() + c0);  // whole vectors per range
  }, parallel);
  for (int64_t c = 0; c < n; ++c) out[c] += static_cast<float>(acc[c]);
}

void input_grads(const SeqBackward& b, const float* dgx) {
  const SeqForward& f = *b.fwd;
  const int64_t N = f.d.T * f.d.B, GH = gate_count(f.cell) * f.d.H, I = f.d.I;
  gemm(false, false, N, I, GH, 1.0f, dgx, GH, f.w.w_ih, I, 1.0f, b.dx, I);        // dx += dG · W_ih
  gemm(true, false, GH, I, N, 1.0f, dgx, GH, f.x, I, 1.0f, b.dw_ih, I);           // dW_ih += dGᵀ · X
  if (b.db_ih != nullptr) add_column_sums(dgx, N, GH, GH, b.db_ih);
}

void hidden_weight_grads(const SeqBackward& b, const float* dgh, int64_t ld, int64_t row0, int64_t rows,
                         const float* inputs) {
  const SeqForward& f = *b.fwd;
  const int64_t N = f.d.T * f.d.B, H = f.d.H;
  // dW_hh[row0 : row0 + rows] += dGhᵀ [rows, N] · inputs [N, H]
  gemm(true, false, rows, H, N, 1.0f, dgh + row0, ld, inputs, H, 1.0f, b.dw_hh + row0 * H, H);
  if (b.db_hh != nullptr) add_column_sums(dgh + row0, N, ld, rows, b.db_hh + row0);
}

}  // namespace recurrent
