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
using VectorFn = void (*)(const float* x, float* y, int64_t n);

struct KernelTable {
  Isa isa;
  int mr;  // rows of a micro tile
  int nr;  // columns of a micro tile
  MicroKernel micro[kMaxMr + 1];  // micro[rows], rows in 1..mr
  VectorFn tanh;                  // y = tanh(x), y may alias x
  VectorFn sigmoid;               // y = 1 / (1 + exp(-x))
  VectorFn exp;                   // y = exp(x)
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
