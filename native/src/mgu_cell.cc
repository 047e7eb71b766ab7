// Minimal gated unit (Zhou et al. 2016), gate blocks f, n:
//   f = σ(W_if x + b_if + W_hf h + b_hf),  n = tanh(W_in x + b_in + W_hn (f ⊙ h) + b_hn),
//   h' = (1 − f) ⊙ h + f ⊙ n.
// Cache [4, T, B, H]: h_prev [T,B,H] | acts [T,B,2H] (f n) | f ⊙ h_prev [T,B,H].
#include <cstring>

#include "gemm.h"
#include "kernels.h"
#include "sequence.h"
#include "workspace.h"

namespace recurrent {

namespace {

constexpr int kScratchDfh = 1;  // [rows, H] d(f ⊙ h)

struct MguCacheView {
  float* h_prev;  // [T, B, H]
  float* acts;    // [T, B, 2H]
  float* fh;      // [T, B, H]
  MguCacheView(float* base, int64_t TBH) : h_prev(base), acts(base + TBH), fh(base + 3 * TBH) {}
};

}  // namespace

void mgu_forward(const SeqForward& f, float* cache_base) {
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G2 = 2 * H;
  const MguCacheView cache(cache_base, T * BH);
  Workspace& ws = workspace();
  float* gx = cache.acts;  // [T, B, 2H] input projections, turned into activations in place
  project_inputs(f, combined_bias(f, 0, 0), gx);
  const PackedB wf = pack_step_matrix(f.w.w_hh, H, H, H, f.d.B, f.d.T, ws.seq_packed_1.get(packed_b_size(H, H)));          // W_hfᵀ
  const PackedB wn = pack_step_matrix(f.w.w_hh + H * H, H, H, H, f.d.B, f.d.T, ws.seq_packed_2.get(packed_b_size(H, H)));  // W_hnᵀ
  const KernelTable& k = kernels();

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = step_time(f, s);
      const float* hp = prev_state(f, s, f.h0, f.y, BH) + b0 * H;  // [rows, H]
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G2;
      if (f.cache != nullptr) std::memcpy(cache.h_prev + oh, hp, sizeof(float) * rows * H);  // read by the backward only
      float* pre = gx + og;  // [rows, 2H]
      float* acts = cache.acts + og;
      float* fh = cache.fh + oh;
      gemm_packed_rows(rows, hp, H, 1.0f, wf, pre, G2, thread, s & 1);
      for (int64_t r = 0; r < rows; ++r) {
        float* a = acts + r * G2;
        k.sigmoid(pre + r * G2, a, H);
        for (int64_t j = 0; j < H; ++j) fh[r * H + j] = a[j] * hp[r * H + j];
      }
      gemm_packed_rows(rows, fh, H, 1.0f, wn, pre + H, G2, thread, s & 1);
      for (int64_t r = 0; r < rows; ++r) {
        float* a = acts + r * G2;
        k.tanh(pre + r * G2 + H, a + H, H);
        float* h = f.y + oh + r * H;
        for (int64_t j = 0; j < H; ++j) h[j] = (1.0f - a[j]) * hp[r * H + j] + a[j] * a[H + j];
      }
    }
  });
  std::memcpy(f.h_n, f.y + step_time(f, T - 1) * BH, sizeof(float) * BH);
}

void mgu_backward(const SeqBackward& b) {
  const SeqForward& f = *b.fwd;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G2 = 2 * H;
  const MguCacheView cache(const_cast<float*>(b.cache), T * BH);
  Workspace& ws = workspace();
  float* dg = ws.seq_dgates.get(static_cast<size_t>(T * B * G2));  // [T, B, 2H] dL/dz
  float* dh_next = ws.seq_state.get(static_cast<size_t>(BH));     // [B, H]
  if (b.dh_n != nullptr) std::memcpy(dh_next, b.dh_n, sizeof(float) * BH);
  else std::memset(dh_next, 0, sizeof(float) * BH);
  const PackedB wf = pack_b(f.w.w_hh, false, H, H, H, ws.seq_packed_1.get(packed_b_size(H, H)));          // W_hf
  const PackedB wn = pack_b(f.w.w_hh + H * H, false, H, H, H, ws.seq_packed_2.get(packed_b_size(H, H)));  // W_hn

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    float* dfh = thread_scratch(thread, kScratchDfh, static_cast<size_t>(rows * H));
    for (int64_t s = T - 1; s >= 0; --s) {
      const int64_t t = step_time(f, s);
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G2;
      const float* hp = cache.h_prev + oh;
      const float* acts = cache.acts + og;
      float* dhn = dh_next + b0 * H;  // in: gradient reaching h_t; out: reaching h_{t-1}
      for (int64_t r = 0; r < rows; ++r) {
        const float* a = acts + r * G2;
        const float* dy = b.dy != nullptr ? b.dy + oh + r * H : nullptr;
        float* d = dg + og + r * G2;
        for (int64_t j = 0; j < H; ++j) {
          const int64_t i = r * H + j;
          const float dh = dhn[i] + (dy != nullptr ? dy[j] : 0.0f);
          const float fg = a[j], n = a[H + j];
          d[j] = dh * (n - hp[i]);                    // dL/df so far (completed below)
          d[H + j] = dh * fg * (1.0f - n * n);        // dz_n
          dhn[i] = dh * (1.0f - fg);
        }
      }
      std::memset(dfh, 0, sizeof(float) * rows * H);
      gemm_packed_rows(rows, dg + og + H, G2, 1.0f, wn, dfh, H, thread, s & 1);  // d(f⊙h) = dz_n · W_hn
      for (int64_t r = 0; r < rows; ++r) {
        const float* a = acts + r * G2;
        float* d = dg + og + r * G2;
        for (int64_t j = 0; j < H; ++j) {
          const int64_t i = r * H + j;
          const float fg = a[j];
          d[j] = (d[j] + dfh[i] * hp[i]) * fg * (1.0f - fg);  // dz_f
          dhn[i] += dfh[i] * fg;
        }
      }
      gemm_packed_rows(rows, dg + og, G2, 1.0f, wf, dhn, H, thread, s & 1);  // dh_prev += dz_f · W_hf
    }
  });
  std::memcpy(b.dh0, dh_next, sizeof(float) * BH);
  input_grads(b, dg);
  hidden_weight_grads(b, dg, G2, 0, H, cache.h_prev);
  hidden_weight_grads(b, dg, G2, H, H, cache.fh);
}

}  // namespace recurrent
