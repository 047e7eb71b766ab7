// GRU, gate blocks r, z, n; h' = (1 − z) ⊙ n + z ⊙ h.
//   resetAfter (PyTorch, cuDNN): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), one recurrent GEMM;
//   reset before (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn), two per step.
// Cache [5, T, B, H]: h_prev [T,B,H] | acts [T,B,3H] (r z n) | inner [T,B,H]: W_hn h + b_hn
// (resetAfter) or r ⊙ h (reset before).
#include <cstring>

#include "gemm.h"
#include "kernels.h"
#include "sequence.h"
#include "workspace.h"

namespace recurrent {

namespace {

constexpr int kScratchGh = 1;  // [rows, 3H] h W_hhᵀ of one step (resetAfter); [rows, H] d(r⊙h) (before)

struct GruCacheView {
  float* h_prev;  // [T, B, H]
  float* acts;    // [T, B, 3H]
  float* inner;   // [T, B, H]
  GruCacheView(float* base, int64_t TBH) : h_prev(base), acts(base + TBH), inner(base + 4 * TBH) {}
};

}  // namespace

void gru_forward(const SeqForward& f, float* cache_base) {
  const bool after = f.cell.reset_after;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G3 = 3 * H, H2 = 2 * H;
  const GruCacheView cache(cache_base, T * BH);
  Workspace& ws = workspace();
  // The input projections go straight into the cache's activation slots, turned into
  // activations in place step by step: no separate [T, B, 3H] buffer.
  float* gx = cache.acts;  // [T, B, 3H]
  // resetAfter keeps b_hn out of the input side: it sits inside r ⊙ (W_hn h + b_hn).
  project_inputs(f, after ? combined_bias(f, H2, G3) : combined_bias(f, 0, 0), gx);
  PackedB w1, w2;
  if (after) {
    w1 = pack_step_matrix(f.w.w_hh, H, H, G3, f.d.B, f.d.T, ws.seq_packed_1.get(packed_b_size(H, G3)));  // W_hhᵀ
  } else {
    w1 = pack_step_matrix(f.w.w_hh, H, H, H2, f.d.B, f.d.T, ws.seq_packed_1.get(packed_b_size(H, H2)));  // W_h{r,z}ᵀ
    w2 = pack_step_matrix(f.w.w_hh + H2 * H, H, H, H, f.d.B, f.d.T, ws.seq_packed_2.get(packed_b_size(H, H)));  // W_hnᵀ
  }
  const float* b_hn = f.w.b_hh != nullptr ? f.w.b_hh + H2 : nullptr;
  const KernelTable& k = kernels();

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    float* gh = after ? thread_scratch(thread, kScratchGh, static_cast<size_t>(rows * G3)) : nullptr;
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = step_time(f, s);
      const float* hp = prev_state(f, s, f.h0, f.y, BH) + b0 * H;  // [rows, H]
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G3;
      if (f.cache != nullptr) std::memcpy(cache.h_prev + oh, hp, sizeof(float) * rows * H);  // read by the backward only
      float* pre = gx + og;  // [rows, 3H]
      float* acts = cache.acts + og;
      float* inner = cache.inner + oh;
      if (after) {
        std::memset(gh, 0, sizeof(float) * rows * G3);
        gemm_packed_rows(rows, hp, H, 1.0f, w1, gh, G3, thread, s & 1);
        for (int64_t r = 0; r < rows; ++r)
          k.gru_forward_row(H, pre + r * G3, gh + r * G3, b_hn, hp + r * H, acts + r * G3, inner + r * H,
                            f.y + oh + r * H);
      } else {
        gemm_packed_rows(rows, hp, H, 1.0f, w1, pre, G3, thread, s & 1);
        for (int64_t r = 0; r < rows; ++r) {
          float* a = acts + r * G3;
          k.sigmoid(pre + r * G3, a, H2);
          for (int64_t j = 0; j < H; ++j) inner[r * H + j] = a[j] * hp[r * H + j];
        }
        gemm_packed_rows(rows, inner, H, 1.0f, w2, pre + H2, G3, thread, s & 1);
        for (int64_t r = 0; r < rows; ++r) {
          float* a = acts + r * G3;
          k.tanh(pre + r * G3 + H2, a + H2, H);
          const float* h_prev = hp + r * H;
          float* h = f.y + oh + r * H;
          for (int64_t j = 0; j < H; ++j) h[j] = (1.0f - a[H + j]) * a[H2 + j] + a[H + j] * h_prev[j];
        }
      }
    }
  });
  std::memcpy(f.h_n, f.y + step_time(f, T - 1) * BH, sizeof(float) * BH);
}

void gru_backward(const SeqBackward& b) {
  const SeqForward& f = *b.fwd;
  const bool after = f.cell.reset_after;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G3 = 3 * H, H2 = 2 * H;
  const GruCacheView cache(const_cast<float*>(b.cache), T * BH);
  Workspace& ws = workspace();
  float* dgx = ws.seq_dgates.get(static_cast<size_t>(T * B * G3));  // [T, B, 3H] dL/d input-side pre-activations
  float* dgh = after ? ws.seq_dgates_h.get(static_cast<size_t>(T * B * G3)) : dgx;  // [T, B, 3H] hidden side
  float* dh_next = ws.seq_state.get(static_cast<size_t>(BH));  // [B, H]
  if (b.dh_n != nullptr) std::memcpy(dh_next, b.dh_n, sizeof(float) * BH);
  else std::memset(dh_next, 0, sizeof(float) * BH);
  const KernelTable& k = kernels();
  PackedB w1, w2;
  if (after) {
    w1 = pack_b(f.w.w_hh, false, H, G3, H, ws.seq_packed_1.get(packed_b_size(G3, H)));  // W_hh
  } else {
    w1 = pack_b(f.w.w_hh, false, H, H2, H, ws.seq_packed_1.get(packed_b_size(H2, H)));  // W_h{r,z}
    w2 = pack_b(f.w.w_hh + H2 * H, false, H, H, H, ws.seq_packed_2.get(packed_b_size(H, H)));  // W_hn
  }

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    float* drh = after ? nullptr : thread_scratch(thread, kScratchGh, static_cast<size_t>(rows * H));
    for (int64_t s = T - 1; s >= 0; --s) {
      const int64_t t = step_time(f, s);
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G3;
      const float* hp = cache.h_prev + oh;
      const float* acts = cache.acts + og;
      const float* inner = cache.inner + oh;
      float* dhn = dh_next + b0 * H;  // in: gradient reaching h_t from later steps; out: to h_{t-1}
      for (int64_t r = 0; r < rows; ++r) {
        const float* a = acts + r * G3;
        const float* dy = b.dy != nullptr ? b.dy + oh + r * H : nullptr;
        float* dx = dgx + og + r * G3;
        if (after) {
          k.gru_backward_row(H, a, inner + r * H, hp + r * H, dy, dhn + r * H, dx, dgh + og + r * G3);
          continue;
        }
        for (int64_t j = 0; j < H; ++j) {
          const int64_t i = r * H + j;
          const float dh = dhn[i] + (dy != nullptr ? dy[j] : 0.0f);
          const float z = a[H + j], n = a[H2 + j];
          dhn[i] = dh * z;
          dx[H + j] = dh * (hp[i] - n) * z * (1.0f - z);
          dx[H2 + j] = dh * (1.0f - z) * (1.0f - n * n);
        }
      }
      if (after) {
        gemm_packed_rows(rows, dgh + og, G3, 1.0f, w1, dhn, H, thread, s & 1);  // dh_prev += dGh · W_hh
      } else {
        std::memset(drh, 0, sizeof(float) * rows * H);
        gemm_packed_rows(rows, dgx + og + H2, G3, 1.0f, w2, drh, H, thread, s & 1);  // d(r⊙h) = dz_n · W_hn
        for (int64_t r = 0; r < rows; ++r) {
          const float* a = acts + r * G3;
          float* dx = dgx + og + r * G3;
          for (int64_t j = 0; j < H; ++j) {
            const int64_t i = r * H + j;
            const float rr = a[j];
            dx[j] = drh[i] * hp[i] * rr * (1.0f - rr);
            dhn[i] += drh[i] * rr;
          }
        }
        gemm_packed_rows(rows, dgx + og, G3, 1.0f, w1, dhn, H, thread, s & 1);  // dh_prev += dz_{r,z} · W_h{r,z}
      }
    }
  });
  std::memcpy(b.dh0, dh_next, sizeof(float) * BH);
  input_grads(b, dgx);
  if (after) {
    hidden_weight_grads(b, dgh, G3, 0, G3, cache.h_prev);
  } else {
    hidden_weight_grads(b, dgx, G3, 0, H2, cache.h_prev);
    hidden_weight_grads(b, dgx, G3, H2, H, cache.inner);
  }
}

}  // namespace recurrent
