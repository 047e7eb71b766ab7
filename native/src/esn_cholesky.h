// Blocked float64 Cholesky factorisation A = L Lᵀ and its solve, for the ridge readout of the
// ESN (packages/esn/src/ridge.ts). The per-ISA kernels (esn_cholesky_simd.inc, compiled into
// esn_kernels_<isa>.cc) do the panel solve, the trailing update and the substitutions; the
// driver (esn_cholesky.cc) runs the block steps, factorises the diagonal blocks and splits the
// work over the thread pool. Hold compute_mutex() around esn_cholesky.
#pragma once

#include <cstdint>

#include "cpu_features.h"

namespace recurrent {

/**
 * One block step of the right-looking factorisation of the matrix at `a` (size n, row stride
 * lda, lower triangle): the diagonal block [k0, k0 + kb) is factorised; the kernels then solve the
 * panel below it (rows r0 = k0 + kb … n − 1) and update the trailing matrix.
 */
struct CholStep {
  double* a;  // [n, lda] (the lower triangle is read and written)
  int64_t lda;
  int64_t n;
  int64_t k0, kb;
  double* packed;  // [panels, kb, lanes] L21 in row panels: packed[p][q][l] = L[r0 + p·lanes + l][k0 + q], 0 past n
};

struct CholeskyKernelTable {
  Isa isa;
  int lanes;        // rows per packed panel
  int tile_panels;  // row panels per register tile: update ranges split at multiples of it
  /** L21 = A21 L11⁻ᵀ for the row panels [p0, p1): rows written to `a` and to `packed`. */
  void (*panel)(const CholStep& s, int64_t p0, int64_t p1);
  /** A22 −= L21 L21ᵀ on the lower triangle, rows of the panels [p0, p1), every column up to the
   *  diagonal. Reads only `packed`. */
  void (*update)(const CholStep& s, int64_t p0, int64_t p1);
  /** Solves L Lᵀ X = B in place for bt = Bᵀ [m, n] (each right-hand side contiguous). */
  void (*solve)(const double* l, int64_t n, double* bt, int64_t m);
};

const CholeskyKernelTable& cholesky_scalar_kernels();
#if defined(RECURRENT_X86)
const CholeskyKernelTable& cholesky_avx2_kernels();
const CholeskyKernelTable& cholesky_avx512_kernels();
#endif

/** The table of the ISA level in use (the same switch as kernels()). */
const CholeskyKernelTable& cholesky_kernels();

struct CholeskyFailure {
  int64_t index;  // the first pivot that was not safely positive
  double pivot;
};

/**
 * Factorises a [n, n] in place into its lower triangle (the strict upper triangle is not
 * touched), with the contract of packages/esn's choleskyInPlace: a pivot that is not
 * > 4ε·|A_jj| (A_jj as given) stops it and is reported in `failure` (return false). On success,
 * when b [n, m] is given, overwrites it with the solution X of L Lᵀ X = B.
 */
bool esn_cholesky(double* a, int64_t n, double* b, int64_t m, CholeskyFailure* failure);

}  // namespace recurrent
