// Echo State Network kernels in float64: the reservoir state update over a range of row chunks
// and the symmetric rank-k update of the ridge readout. One table per ISA level, each defined in
// its own translation unit (esn_kernels_<isa>.cc) compiled with that level's flags; the driver
// (esn.cc) packs the arguments and splits the work over the thread pool.
#pragma once

#include <cstdint>

#include "cpu_features.h"

namespace recurrent {

enum class EsnActivation { tanh = 0, sigmoid = 1, relu = 2, identity = 3 };

/**
 * W in sliced ELLPACK (SELL-C, Kreutzer et al. 2014) with C = the table's lanes: rows in chunks
 * of C; chunk c owns slots [start[c], start[c+1]), slot k holding the k-th non-zero of each of
 * its C rows (CSR order, so every row sums in the same order as the CSR loop). A row shorter
 * than its chunk is padded with value 0 at column `zero_col`, a slot of x that is always 0.
 */
struct SellMatrix {
  const int64_t* start;  // [chunks + 1]
  const int32_t* cols;   // [slots, C]
  const double* vals;    // [slots, C]
};

/** One step of the state update for the chunks [chunk_begin, chunk_end). Buffers the driver
 *  owns are padded to n_pad = chunks · C; the caller's (noise, states) hold exactly n. */
struct EsnStep {
  int64_t n;  // N
  int64_t n_pad;
  int64_t chunk_begin, chunk_end;
  SellMatrix W;
  int64_t ni;              // I
  const double* win_t;     // [I, n_pad] W_inᵀ
  const double* u;         // [I] u(t)
  const double* bias;      // [n_pad]
  int64_t no;              // O (0 without feedback)
  const double* wfb_t;     // [O, n_pad] W_fbᵀ or null
  const double* y;         // [O] y(t−1) or null
  const double* noise;     // [n] ν(t) or null
  double keep, leak;       // 1 − a, a
  EsnActivation act;
  const double* x_old;     // [n_pad + 1] x(t−1), x_old[n_pad] = 0
  double* x_new;           // [n_pad + 1] x(t)
  double* pre;             // [n_pad] scratch: the sums before the activation
  double* states64;        // [n] row t of the states, or null
  float* states32;         // [n] row t (float32 states: x rounded to float32 every step), or null
};

struct EsnKernelTable {
  Isa isa;
  int lanes;  // C of the SELL chunks, and the panel width of the Gram packing
  void (*step)(const EsnStep& s);
  /** gram[i, j] += Σ_r P[i][r] P[j][r] for i ≤ j, j in group `group` (kGramGroup panels), all i;
   *  P packed [panels, kc, lanes] (panel p, row r, lane l = X[r, p·lanes + l], zero past d). */
  void (*gram_group)(const double* packed, int64_t kc, int64_t panels, int64_t d, int64_t group, double* gram);
  /** xty[i, o] += Σ_r P[i][r] Y[r, o] for the columns of panel p; Y [kc, O]. */
  void (*xty_panel)(const double* packed, int64_t kc, int64_t p, int64_t d, const double* Y, int64_t no, double* xty);
  /** y = tanh(x) (tests of the vector tanh). */
  void (*tanh)(const double* x, double* y, int64_t n);
};

constexpr int kGramGroup = 3;  // panels of one Gram tile's columns (3 vectors per row)

const EsnKernelTable& esn_scalar_kernels();
#if defined(RECURRENT_X86)
const EsnKernelTable& esn_avx2_kernels();
const EsnKernelTable& esn_avx512_kernels();
#endif

/** The table of the ISA level in use (kernels().isa: CPUID, RECURRENT_ISA, setIsa). */
const EsnKernelTable& esn_kernels();

}  // namespace recurrent
