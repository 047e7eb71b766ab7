// LSTM with the variants of Greff et al. 2015 (contract.ts, LstmVariant). Gate blocks i, f, g, o.
// A gate a variant removes takes its constant value (i = 1, f = 1, o = 1, f = 1 − i), and that
// value is also what full gate recurrence (FGR) feeds back.
// The cache layout is in lstm_cache.h; the batch-1 path that splits units is lstm_by_units.cc.
#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "lstm_cache.h"
#include "sequence.h"
#include "workspace.h"

namespace recurrent {

namespace {

constexpr int kScratchRec = 1;   // [rows, 3H] previous gate activations i, f, o (FGR)
constexpr int kScratchRec2 = 2;  // [rows, 3H] their product with Rᵀ (FGR)
constexpr int kScratchRow = 3;   // [H] tanh(c) of one row

void fill(float* p, int64_t n, float v) { std::fill(p, p + n, v); }

/** The PyTorch LSTM (every flag false): fused per-ISA row kernels apply. */
bool is_default(const LstmVariant& v) {
  return !(v.peephole || v.coupled || v.no_input_gate || v.no_forget_gate || v.no_output_gate || v.no_input_activation ||
           v.no_output_activation || v.full_gate_recurrence);
}

}  // namespace

void lstm_forward(const SeqForward& f, float* cache_base) {
  const LstmVariant& v = f.cell.variant;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G4 = 4 * H, H3 = 3 * H;
  const LstmCacheView cache(cache_base, T * BH);
  Workspace& ws = workspace();
  // The input projections go straight into the cache's activation slots, turned into
  // activations in place step by step: no separate [T, B, 4H] buffer.
  float* gx = cache.acts;  // [T, B, 4H]
  project_inputs(f, combined_bias(f, 0, 0), gx);
  const PackedB whh = pack_step_matrix(f.w.w_hh, H, H, G4, f.d.B, f.d.T, ws.seq_packed_1.get(packed_b_size(H, G4)));
  PackedB rec;
  if (v.full_gate_recurrence)  // op(B) = Rᵀ: [3H sending, 3H receiving]
    rec = pack_step_matrix(f.w.w_gate_rec, H3, H3, H3, f.d.B, f.d.T, ws.seq_packed_3.get(packed_b_size(H3, H3)));
  const KernelTable& k = kernels();
  const float* p_i = f.w.w_peep;  // [3, H] rows p_i, p_f, p_o
  const float* p_f = p_i != nullptr ? p_i + H : nullptr;
  const float* p_o = p_i != nullptr ? p_i + 2 * H : nullptr;
  const bool plain = is_default(v);
  if (plain && lstm_forward_by_units(f, cache_base, whh)) return;

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    float* tc = thread_scratch(thread, kScratchRow, static_cast<size_t>(H));
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = step_time(f, s);
      const float* hp = prev_state(f, s, f.h0, f.y, BH) + b0 * H;     // [rows, H]
      const float* cp = prev_state(f, s, f.c0, cache.c, BH) + b0 * H;  // [rows, H]
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G4;
      if (f.cache != nullptr) {  // the backward pass reads them; inference does not
        std::memcpy(cache.h_prev + oh, hp, sizeof(float) * rows * H);
        std::memcpy(cache.c_prev + oh, cp, sizeof(float) * rows * H);
      }
      float* pre = gx + og;  // [rows, 4H]
      gemm_packed_rows(rows, hp, H, 1.0f, whh, pre, G4, thread, s & 1);
      if (v.full_gate_recurrence && s > 0) {
        // pre_{i,f,o} += a_prev · Rᵀ with a_prev the previous step's i, f, o.
        const float* a_prev = cache.acts + (step_time(f, s - 1) * B + b0) * G4;
        float* a3 = thread_scratch(thread, kScratchRec, static_cast<size_t>(rows * H3));
        float* r3 = thread_scratch(thread, kScratchRec2, static_cast<size_t>(rows * H3));
        for (int64_t r = 0; r < rows; ++r) {
          std::memcpy(a3 + r * H3, a_prev + r * G4, sizeof(float) * 2 * H);
          std::memcpy(a3 + r * H3 + 2 * H, a_prev + r * G4 + 3 * H, sizeof(float) * H);
        }
        std::memset(r3, 0, sizeof(float) * rows * H3);
        gemm_packed_rows(rows, a3, H3, 1.0f, rec, r3, H3, thread, s & 1);
        for (int64_t r = 0; r < rows; ++r) {
          float* p = pre + r * G4;
          const float* q = r3 + r * H3;
          for (int64_t j = 0; j < 2 * H; ++j) p[j] += q[j];
          for (int64_t j = 0; j < H; ++j) p[3 * H + j] += q[2 * H + j];
        }
      }
      for (int64_t r = 0; r < rows; ++r) {
        float* p = pre + r * G4;
        float* a = cache.acts + og + r * G4;
        const float* c_prev = cp + r * H;
        float* c = cache.c + oh + r * H;
        float* h = f.y + oh + r * H;
        if (plain) {
          k.lstm_forward_row(H, H, p, c_prev, a, c, h);
          continue;
        }
        float *zi = p, *zf = p + H, *zg = p + 2 * H, *zo = p + 3 * H;
        float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
        if (v.peephole)
          for (int64_t j = 0; j < H; ++j) {
            zi[j] += p_i[j] * c_prev[j];
            zf[j] += p_f[j] * c_prev[j];
          }
        if (v.no_input_gate) fill(ai, H, 1.0f);
        else k.sigmoid(zi, ai, H);
        if (v.coupled) for (int64_t j = 0; j < H; ++j) af[j] = 1.0f - ai[j];
        else if (v.no_forget_gate) fill(af, H, 1.0f);
        else k.sigmoid(zf, af, H);
        if (!v.no_input_activation) k.tanh(zg, ag, H);  // (linear g: ag is zg already)
        for (int64_t j = 0; j < H; ++j) c[j] = af[j] * c_prev[j] + ai[j] * ag[j];
        if (v.peephole) for (int64_t j = 0; j < H; ++j) zo[j] += p_o[j] * c[j];
        if (v.no_output_gate) fill(ao, H, 1.0f);
        else k.sigmoid(zo, ao, H);
        if (v.no_output_activation) {
          for (int64_t j = 0; j < H; ++j) h[j] = ao[j] * c[j];
        } else {
          k.tanh(c, tc, H);
          for (int64_t j = 0; j < H; ++j) h[j] = ao[j] * tc[j];
        }
      }
    }
  });
  const int64_t t_last = step_time(f, T - 1);
  std::memcpy(f.h_n, f.y + t_last * BH, sizeof(float) * BH);
  std::memcpy(f.c_n, cache.c + t_last * BH, sizeof(float) * BH);
}

void lstm_backward(const SeqBackward& b) {
  const SeqForward& f = *b.fwd;
  const LstmVariant& v = f.cell.variant;
  const bool fgr = v.full_gate_recurrence;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G4 = 4 * H, H3 = 3 * H;
  const LstmCacheView cache(const_cast<float*>(b.cache), T * BH);
  Workspace& ws = workspace();
  float* dg = ws.seq_dgates.get(static_cast<size_t>(T * B * G4));  // [T, B, 4H] dL/dz
  float* state = ws.seq_state.get(static_cast<size_t>(2 * BH + (fgr ? B * H3 : 0)));
  float* dh_next = state;       // [B, H]  gradient reaching h_t from later steps
  float* dc_next = state + BH;  // [B, H]  gradient reaching c_t from later steps
  float* da_next = state + 2 * BH;  // [B, 3H] (FGR) dL/d[i, f, o] from the next step's gates
  if (b.dh_n != nullptr) std::memcpy(dh_next, b.dh_n, sizeof(float) * BH);
  else std::memset(dh_next, 0, sizeof(float) * BH);
  if (b.dc_n != nullptr) std::memcpy(dc_next, b.dc_n, sizeof(float) * BH);
  else std::memset(dc_next, 0, sizeof(float) * BH);
  if (fgr) std::memset(da_next, 0, sizeof(float) * B * H3);
  const PackedB whh = pack_b(f.w.w_hh, false, H, G4, H, ws.seq_packed_1.get(packed_b_size(G4, H)));
  PackedB rec;
  if (fgr) rec = pack_b(f.w.w_gate_rec, false, H3, H3, H3, ws.seq_packed_3.get(packed_b_size(H3, H3)));
  const KernelTable& k = kernels();
  const float* p_i = f.w.w_peep;
  const float* p_f = p_i != nullptr ? p_i + H : nullptr;
  const float* p_o = p_i != nullptr ? p_i + 2 * H : nullptr;
  const bool plain = is_default(v);

  for_batch_rows(f, [&](int64_t b0, int64_t b1, int thread) {
    const int64_t rows = b1 - b0;
    float* tc = thread_scratch(thread, kScratchRow, static_cast<size_t>(H));
    float* dz3 = fgr ? thread_scratch(thread, kScratchRec, static_cast<size_t>(rows * H3)) : nullptr;
    for (int64_t s = T - 1; s >= 0; --s) {
      const int64_t t = step_time(f, s);
      const int64_t oh = t * BH + b0 * H, og = (t * B + b0) * G4;
      for (int64_t r = 0; r < rows; ++r) {
        const float* a = cache.acts + og + r * G4;
        const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
        const float* c = cache.c + oh + r * H;
        const float* cp = cache.c_prev + oh + r * H;
        const float* dy = b.dy != nullptr ? b.dy + oh + r * H : nullptr;
        float* dh = dh_next + (b0 + r) * H;
        float* dc = dc_next + (b0 + r) * H;
        const float* da = fgr ? da_next + (b0 + r) * H3 : nullptr;
        float* d = dg + og + r * G4;
        if (plain) {
          k.lstm_backward_row(H, a, c, cp, dy, dh, dc, d);
          continue;
        }
        float *dzi = d, *dzf = d + H, *dzg = d + 2 * H, *dzo = d + 3 * H;
        if (v.no_output_activation) std::memcpy(tc, c, sizeof(float) * H);
        else k.tanh(c, tc, H);
        for (int64_t j = 0; j < H; ++j) {
          const float dht = dh[j] + (dy != nullptr ? dy[j] : 0.0f);
          float d_o = dht * tc[j];
          if (fgr) d_o += da[2 * H + j];
          const float zo = v.no_output_gate ? 0.0f : d_o * ao[j] * (1.0f - ao[j]);
          float d_c = dc[j] + dht * ao[j] * (v.no_output_activation ? 1.0f : 1.0f - tc[j] * tc[j]);
          if (v.peephole) d_c += zo * p_o[j];
          float d_i = d_c * ag[j];
          float d_f = d_c * cp[j];
          const float d_g = d_c * ai[j];
          if (fgr) {
            d_i += da[j];
            d_f += da[H + j];
          }
          if (v.coupled) d_i -= d_f;  // f = 1 − i
          const float zi = v.no_input_gate ? 0.0f : d_i * ai[j] * (1.0f - ai[j]);
          const float zf = v.no_forget_gate || v.coupled ? 0.0f : d_f * af[j] * (1.0f - af[j]);
          const float zg = v.no_input_activation ? d_g : d_g * (1.0f - ag[j] * ag[j]);
          float dcp = d_c * af[j];
          if (v.peephole) dcp += zi * p_i[j] + zf * p_f[j];
          dc[j] = dcp;
          dzi[j] = zi;
          dzf[j] = zf;
          dzg[j] = zg;
          dzo[j] = zo;
        }
      }
      // dh_prev = dz · W_hh; (FGR) da_prev = dz_{i,f,o} · R, for the step processed before.
      float* dhp = dh_next + b0 * H;
      std::memset(dhp, 0, sizeof(float) * rows * H);
      gemm_packed_rows(rows, dg + og, G4, 1.0f, whh, dhp, H, thread, s & 1);
      if (fgr) {
        for (int64_t r = 0; r < rows; ++r) {
          std::memcpy(dz3 + r * H3, dg + og + r * G4, sizeof(float) * 2 * H);
          std::memcpy(dz3 + r * H3 + 2 * H, dg + og + r * G4 + 3 * H, sizeof(float) * H);
        }
        float* dap = da_next + b0 * H3;
        std::memset(dap, 0, sizeof(float) * rows * H3);
        gemm_packed_rows(rows, dz3, H3, 1.0f, rec, dap, H3, thread, s & 1);
      }
    }
  });
  std::memcpy(b.dh0, dh_next, sizeof(float) * BH);
  std::memcpy(b.dc0, dc_next, sizeof(float) * BH);
  input_grads(b, dg);
  hidden_weight_grads(b, dg, G4, 0, G4, cache.h_prev);

  if (v.peephole && b.dw_peep != nullptr) {
    // dp_i = Σ dz_i ⊙ c_prev, dp_f = Σ dz_f ⊙ c_prev, dp_o = Σ dz_o ⊙ c over all steps and rows.
    std::vector<double> acc(static_cast<size_t>(3 * H), 0.0);
    for (int64_t n = 0; n < T * B; ++n) {
      const float* d = dg + n * G4;
      const float* cp = cache.c_prev + n * H;
      const float* c = cache.c + n * H;
      for (int64_t j = 0; j < H; ++j) {
        acc[j] += static_cast<double>(d[j]) * cp[j];
        acc[H + j] += static_cast<double>(d[H + j]) * cp[j];
        acc[2 * H + j] += static_cast<double>(d[3 * H + j]) * c[j];
      }
    }
    for (int64_t j = 0; j < 3 * H; ++j) b.dw_peep[j] += static_cast<float>(acc[j]);
  }
  if (fgr && b.dw_gate_rec != nullptr) {
    // dR = Σ_t dz_ifo[t]ᵀ · a_prev[t] (a_prev: the previous step's i, f, o; zero at the first step).
    const int64_t N = T * B;
    float* extra = ws.seq_extra.get(static_cast<size_t>(2 * N * H3));
    float* dz_all = extra;            // [T, B, 3H] in processing order
    float* a_prev_all = extra + N * H3;  // [T, B, 3H] in processing order
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = step_time(f, s);
      for (int64_t bb = 0; bb < B; ++bb) {
        const float* d = dg + (t * B + bb) * G4;
        float* dz = dz_all + (s * B + bb) * H3;
        std::memcpy(dz, d, sizeof(float) * 2 * H);
        std::memcpy(dz + 2 * H, d + 3 * H, sizeof(float) * H);
        float* ap = a_prev_all + (s * B + bb) * H3;
        if (s == 0) {
          std::memset(ap, 0, sizeof(float) * H3);
        } else {
          const float* a = cache.acts + (step_time(f, s - 1) * B + bb) * G4;
          std::memcpy(ap, a, sizeof(float) * 2 * H);
          std::memcpy(ap + 2 * H, a + 3 * H, sizeof(float) * H);
        }
      }
    }
    gemm(true, false, H3, H3, N, 1.0f, dz_all, H3, a_prev_all, H3, 1.0f, b.dw_gate_rec, H3);
  }
}

}  // namespace recurrent
