// Elman RNN: h' = act(W_ih x + b_ih + W_hh h + b_hh).
// Cache [2, T, B, H]: h_prev (the state each step read), h (its output).
#include <cstring>

#include "gemm.h"
#include "kernels.h"
#include "sequence.h"
#include "workspace.h"

namespace recurrent {

static void activate(RnnActivation act, const float* pre, float* h, int64_t n) {
  const KernelTable& k = kernels();
  switch (act) {
    case RnnActivation::tanh: k.tanh(pre, h, n); break;
    case RnnActivation::sigmoid: k.sigmoid(pre, h, n); break;
    case RnnActivation::relu: for (int64_t i = 0; i < n; ++i) h[i] = pre[i] > 0 ? pre[i] : 0.0f; break;
  }
}

void rnn_forward(const SeqForward& f, float* cache) {
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H;
  float* h_prev_all = cache;        // [T, B, H]
  float* h_all = cache + T * BH;    // [T, B, H]
  Workspace& ws = workspace();
  float* gx = h_all;  // [T, B, H] pre-activations, overwritten by h step by step
  project_inputs(f, combined_bias(f, 0, 0), gx);
  const PackedB whh = pack_step_matrix(f.w.w_hh, H, H, H, f.d.B, f.d.T, ws.seq_packed_1.get(packed_b_size(H, H)));
  // Batch rows never mix in the recurrence, so each task runs all steps of its rows.
  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = step_time(f, s);
      const float* h_prev = prev_state(f, s, f.h0, f.y, BH);  // [B, H]
      const int64_t off = t * BH + b0 * H, n = (b1 - b0) * H;
      float* pre = gx + off;  // [b1-b0, H]
      if (f.cache != nullptr) std::memcpy(h_prev_all + off, h_prev + b0 * H, sizeof(float) * n);  // backward only
      gemm_packed_rows(b1 - b0, h_prev + b0 * H, H, 1.0f, whh, pre, H, thread, s & 1);
      activate(f.cell.activation, pre, f.y + off, n);
      if (f.cache != nullptr) std::memcpy(h_all + off, f.y + off, sizeof(float) * n);  // backward only
    }
  });
  std::memcpy(f.h_n, T == 0 ? f.h0 : f.y + step_time(f, T - 1) * BH, sizeof(float) * BH);
}

void rnn_backward(const SeqBackward& b) {
  const SeqForward& f = *b.fwd;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H;
  const float* h_prev_all = b.cache;
  const float* h_all = b.cache + T * BH;
  Workspace& ws = workspace();
  float* dg = ws.seq_dgates.get(static_cast<size_t>(T * BH));  // [T, B, H]
  float* dh_next = ws.seq_state.get(static_cast<size_t>(BH));  // [B, H]
  if (b.dh_n != nullptr) std::memcpy(dh_next, b.dh_n, sizeof(float) * BH);
  else std::memset(dh_next, 0, sizeof(float) * BH);
  const PackedB whh = pack_b(f.w.w_hh, false, H, H, H, ws.seq_packed_1.get(packed_b_size(H, H)));
  const RnnActivation act = f.cell.activation;
  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    for (int64_t s = T - 1; s >= 0; --s) {
      const int64_t t = step_time(f, s);
      const int64_t off = t * BH + b0 * H, n = (b1 - b0) * H;
      const float* h = h_all + off;
      const float* dy = b.dy != nullptr ? b.dy + off : nullptr;
      float* dhn = dh_next + b0 * H;
      float* d = dg + off;
      for (int64_t i = 0; i < n; ++i) {
        const float dh = dhn[i] + (dy != nullptr ? dy[i] : 0.0f);
        switch (act) {
          case RnnActivation::tanh: d[i] = dh * (1.0f - h[i] * h[i]); break;
          case RnnActivation::sigmoid: d[i] = dh * h[i] * (1.0f - h[i]); break;
          case RnnActivation::relu: d[i] = h[i] > 0 ? dh : 0.0f; break;
        }
      }
      std::memset(dhn, 0, sizeof(float) * n);
      gemm_packed_rows(b1 - b0, d, H, 1.0f, whh, dhn, H, thread, s & 1);  // dh_prev = dG · W_hh
    }
  });
  std::memcpy(b.dh0, dh_next, sizeof(float) * BH);
  input_grads(b, dg);
  hidden_weight_grads(b, dg, H, 0, H, h_prev_all);
}

}  // namespace recurrent
