// The ESN drivers: pack the caller's CSR matrix and buffers for the per-ISA kernels of
// esn_kernels.h, and split the work over the thread pool. Hold compute_mutex() around them.
#pragma once

#include <cstdint>

#include "esn_kernels.h"

namespace recurrent {

/** A read-only float buffer that is float32 or float64 (null when absent). */
struct FloatView {
  const float* f32 = nullptr;
  const double* f64 = nullptr;
  bool present() const { return f32 != nullptr || f64 != nullptr; }
  double at(int64_t i) const { return f64 != nullptr ? f64[i] : static_cast<double>(f32[i]); }
};

/** The arguments of EsnKernels.harvest (packages/esn/src/kernels.ts), validated. */
struct HarvestJob {
  int64_t steps, n, ni, no;  // T, N, I, O (O = 0: no feedback)
  const int32_t* row_start;  // [N + 1]
  const int32_t* col_index;  // [nnz]
  FloatView values;          // [nnz]
  FloatView inputs;          // [T, I]
  FloatView win;             // [N, I]
  FloatView bias;            // [N]
  FloatView feedback;        // [T, O], absent when O = 0
  FloatView wfb;             // [N, O], absent when O = 0
  FloatView noise;           // [T, N] or absent
  double leak;               // a in (0, 1]
  EsnActivation act;
  double* state64;           // [N] in/out (float64 storage) …
  float* state32;            // … or float32 storage: one of the two is set
  double* states64;          // [T, N] out, the same storage type as the state
  float* states32;
};

void esn_harvest(const HarvestJob& job);

/** The arguments of EsnKernels.accumulateGram, validated. */
struct GramJob {
  int64_t rows, d, no;  // R, D, O
  FloatView X;          // [R, D]
  FloatView Y;          // [R, O]
  FloatView shift;      // [D] subtracted from every row of X first, or absent
  double* gram;         // [D, D] upper triangle accumulated
  double* xty;          // [D, O] accumulated
};

void esn_accumulate_gram(const GramJob& job);

}  // namespace recurrent
