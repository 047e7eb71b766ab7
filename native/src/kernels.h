// The per-ISA kernel table: GEMM micro-kernels and vector activations. One table per ISA level,
// each defined in its own translation unit compiled with that level's flags.
#pragma once

#include <cstdint>

#include "cpu_features.h"

namespace recurrent {

constexpr int kMaxMr = 16;

/** C[m, 0:nr] += Ap[k, m] * Bp[k, 0:nr] for m < rows; Ap is an mr-wide packed panel [K, mr],
 *  Bp an nr-wide packed panel [K, nr]; C row stride ldc. */
using MicroKernel = void (*)(int64_t K, const float* Ap, const float* Bp, float* C, int64_t ldc);
/** The same with A unpacked: row i of the tile at A + i * lda, k contiguous. */
using MicroKernelRows = void (*)(int64_t K, const float* A, int64_t lda, const float* Bp, float* C, int64_t ldc);
using VectorFn = void (*)(const float* x, float* y, int64_t n);

struct KernelTable {
  Isa isa;
  int mr;  // rows of a micro tile
  int nr;  // columns of a micro tile
  MicroKernel micro[kMaxMr + 1];  // micro[rows], rows in 1..mr
  MicroKernelRows micro_rows[kMaxMr + 1];
  /** panel[k, 0:mr] = alpha * src[k * lda + 0:rows] for k < kc, rows past `rows` zero. */
  void (*pack_a_trans)(const float* src, int64_t lda, int rows, int64_t kc, float alpha, float* panel);
  /** panel[k, 0:nr] = src[j * ldb + k] for j < cols (columns past `cols` zero), k < K: one
   *  [K, nr] panel of op(B) = Bᵀ, the layout of every W_hh product in the forward pass. */
  void (*pack_b_trans)(const float* src, int64_t ldb, int cols, int64_t K, float* panel);
  /** y[0:N] += W[N, K] · x[K], W read in place (row stride ldw): the step product of one row
   *  when packing W would cost more than the product itself. */
  void (*gemv_rows)(int64_t N, int64_t K, const float* W, int64_t ldw, const float* x, float* y);
  VectorFn tanh;                  // y = tanh(x), y may alias x
  VectorFn sigmoid;               // y = 1 / (1 + exp(-x))
  VectorFn exp;                   // y = exp(x)
  /** LSTM default variant, units [0, width) of one row: pre (z_i z_f z_g z_o at stride H),
   *  c_prev → acts (i f g o, stride H), c, h. */
  void (*lstm_forward_row)(int64_t width, int64_t H, const float* pre, const float* c_prev, float* acts, float* c,
                           float* h);
  /** Its gradients: dh [H] (from later steps), dy [H] or null, dc [H] in/out, dz [4H] out. */
  void (*lstm_backward_row)(int64_t H, const float* acts, const float* c, const float* c_prev, const float* dy,
                            const float* dh, float* dc, float* dz);
  /** GRU resetAfter, one row: pre [3H] (x side + biases but b_hn), gh [3H] = h W_hhᵀ, b_hn [H] or
   *  null, h_prev [H] → acts [3H] (r z n), hn [H], h [H]. */
  void (*gru_forward_row)(int64_t H, const float* pre, const float* gh, const float* b_hn, const float* h_prev,
                          float* acts, float* hn, float* h);
  /** Its gradients: dh [H] in (from later steps) / out (dh ⊙ z), dgx [3H], dgh [3H]. */
  void (*gru_backward_row)(int64_t H, const float* acts, const float* hn, const float* h_prev, const float* dy,
                           float* dh, float* dgx, float* dgh);
  /** acc[c] += Σ_r g[r * ld + c] over N rows and n columns. */
  void (*column_sums)(const float* g, int64_t N, int64_t ld, int64_t n, double* acc);
};

const KernelTable& scalar_kernels();
#if defined(RECURRENT_X86)
const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();
#endif

/** The table in use (chosen from CPUID and RECURRENT_ISA at load, changed by set_isa). */
const KernelTable& kernels();
/** Uses `isa` from now on; false when the CPU lacks it. */
bool set_isa(Isa isa);

}  // namespace recurrent
