// Whole-sequence forward and backward of the recurrent cells (the math of contract.ts), on raw
// float32 buffers that the binding has validated. One call per layer and direction:
//   forward:  gx = x W_ihᵀ + bias for all steps as one GEMM; then step by step the recurrent
//             product with W_hh packed once per call, gate activations applied per row block right
//             after that block's product (the epilogue, in the same task);
//   backward: step by step the gradients of the pre-activations, kept for all steps, then the
//             weight gradients as large GEMMs over all steps (dW = dGatesᵀ · X, …).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace recurrent {

enum class CellKind { rnn, lstm, gru, mgu };
enum class RnnActivation { tanh, relu, sigmoid };

struct LstmVariant {
  bool peephole = false, coupled = false, no_input_gate = false, no_forget_gate = false,
       no_output_gate = false, no_input_activation = false, no_output_activation = false,
       full_gate_recurrence = false;
};

struct CellSpec {
  CellKind kind = CellKind::rnn;
  RnnActivation activation = RnnActivation::tanh;  // rnn
  LstmVariant variant;                             // lstm
  bool reset_after = true;                         // gru
};

struct SeqDims {
  int64_t T = 0, B = 0, I = 0, H = 0;
};

int gate_count(const CellSpec& cell);

/** Floats of the cache a forward keeps for its backward (layout in each cell's file). */
size_t cache_size(const CellSpec& cell, const SeqDims& d);

struct SeqWeights {
  const float* w_ih = nullptr;      // [G*H, I]
  const float* w_hh = nullptr;      // [G*H, H]
  const float* b_ih = nullptr;      // [G*H] or nullptr
  const float* b_hh = nullptr;      // [G*H] or nullptr
  const float* w_peep = nullptr;    // [3, H]  (lstm peephole)
  const float* w_gate_rec = nullptr;  // [3H, 3H] (lstm fullGateRecurrence)
};

struct SeqForward {
  CellSpec cell;
  SeqDims d;
  SeqWeights w;
  const float* x = nullptr;   // [T, B, I]
  const float* h0 = nullptr;  // [B, H]
  const float* c0 = nullptr;  // [B, H] (lstm)
  bool reverse = false;
  float* y = nullptr;       // [T, B, H]
  float* h_n = nullptr;     // [B, H]
  float* c_n = nullptr;     // [B, H] (lstm)
  float* cache = nullptr;   // [cache_size] or nullptr (inference: a workspace buffer is used)
};

struct SeqBackward {
  const SeqForward* fwd = nullptr;  // its outputs (y, h_n, c_n) are not read
  const float* cache = nullptr;     // what the forward kept
  const float* dy = nullptr;        // [T, B, H] or nullptr
  const float* dh_n = nullptr;      // [B, H] or nullptr
  const float* dc_n = nullptr;      // [B, H] or nullptr
  // Outputs, zero-filled by the caller; weight gradients are accumulated into them.
  float* dx = nullptr;        // [T, B, I]
  float* dh0 = nullptr;       // [B, H]
  float* dc0 = nullptr;       // [B, H] (lstm)
  float* dw_ih = nullptr;     // [G*H, I]
  float* dw_hh = nullptr;     // [G*H, H]
  float* db_ih = nullptr;     // [G*H] or nullptr
  float* db_hh = nullptr;     // [G*H] or nullptr
  float* dw_peep = nullptr;   // [3, H] or nullptr
  float* dw_gate_rec = nullptr;  // [3H, 3H] or nullptr
};

/** Hold compute_mutex() around these (they use the shared workspace and thread pool). */
void sequence_forward(const SeqForward& f);
void sequence_backward(const SeqBackward& b);

// ---- per-cell entry points (one file per cell, forward beside backward) ----------------------
void rnn_forward(const SeqForward& f, float* cache);
void rnn_backward(const SeqBackward& b);
void lstm_forward(const SeqForward& f, float* cache);
void lstm_backward(const SeqBackward& b);
void gru_forward(const SeqForward& f, float* cache);
void gru_backward(const SeqBackward& b);
void mgu_forward(const SeqForward& f, float* cache);
void mgu_backward(const SeqBackward& b);

// ---- helpers shared by the cells (sequence.cc) ---------------------------------------------
/** Time index of step s (the backward direction walks t = T-1 … 0). */
inline int64_t step_time(const SeqForward& f, int64_t s) { return f.reverse ? f.d.T - 1 - s : s; }

/** gx [T*B, G*H] = x [T*B, I] · W_ihᵀ + bias (bias [G*H] or nullptr). */
void project_inputs(const SeqForward& f, const float* bias, float* gx);

/** bias[r] = b_ih[r] + b_hh[r] for rows in [0, G*H), leaving out b_hh on rows in [skip_from, skip_to). */
const float* combined_bias(const SeqForward& f, int64_t skip_from, int64_t skip_to);

/** Runs fn(b0, b1, thread) over row blocks of the batch, spread over the pool when the work of
 *  the call (about 2·T·G·H² flops per row) is worth it. */
void for_batch_rows(const SeqForward& f, const std::function<void(int64_t b0, int64_t b1, int thread)>& fn);

/** Column sums of g [N, ld] columns [0, n) added into out [n]. */
void add_column_sums(const float* g, int64_t N, int64_t ld, int64_t n, float* out);

/** From dG [T*B, G*H], the gradients of the input-side pre-activations: dx += dG·W_ih,
 *  dW_ih += dGᵀ·X, db_ih += Σ dG. */
void input_grads(const SeqBackward& b, const float* dgx);

/** dW_hh rows [row0, row0+rows) += dGh[:, row0:row0+rows]ᵀ · inputs, db_hh likewise; dgh has row
 *  stride ld, inputs [T*B, H] are what those rows multiplied (h_prev, or r⊙h_prev …). */
void hidden_weight_grads(const SeqBackward& b, const float* dgh, int64_t ld, int64_t row0, int64_t rows,
                         const float* inputs);

/** State before step s of the forward (h0 / c0 for s = 0, else the output of step s-1). */
inline const float* prev_state(const SeqForward& f, int64_t s, const float* initial, const float* per_step,
                               int64_t stride) {
  return s == 0 ? initial : per_step + step_time(f, s - 1) * stride;
}

}  // namespace recurrent
