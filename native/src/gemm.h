// Packed-panel GEMM on top of the ISA micro-kernels.
#pragma once

#include <cstddef>
#include <cstdint>

namespace recurrent {

/** op(B) [K, N] packed as ceil(N / nr) panels of [K, nr] (zero-padded), for the current ISA;
 *  or, from pack_step_matrix, op(B) = Wᵀ left in place (data null, W [N, K] at `in_place`). */
struct PackedB {
  const float* data = nullptr;
  int64_t K = 0;
  int64_t N = 0;
  int nr = 0;
  const float* in_place = nullptr;  // [N, K] row stride ld
  int64_t ld = 0;
};

/** Floats needed to pack an op(B) of [K, N]. */
size_t packed_b_size(int64_t K, int64_t N);

/** Packs op(B): op(B)[k, n] = transB ? B[n * ldb + k] : B[k * ldb + n]. Threaded over panels. */
PackedB pack_b(const float* B, bool transB, int64_t ldb, int64_t K, int64_t N, float* out);

/** Row products up to which op(B) = Wᵀ is read in place by row dot products (gemv_rows) instead
 *  of packed: packing reads and writes all of W (about 25 µs for the 1 MiB W_hh of an LSTM with
 *  H = 256), which one or two products do not repay. */
constexpr int64_t kInPlaceMaxProducts = 2;

/** op(B) = Wᵀ for the step products of a sequence, W [N, K] row-major with row stride ldw (the
 *  layout of every W_hh): packed into `out`, or left in place when rows · steps is at most
 *  kInPlaceMaxProducts. gemm_packed_rows/cols accept either. */
PackedB pack_step_matrix(const float* W, int64_t ldw, int64_t K, int64_t N, int64_t rows, int64_t steps, float* out);

/** C[M, N] (row stride ldc) += alpha * A[M, K] (row stride lda) * op(B) with op(B) packed.
 *  Runs on the calling thread; `thread` chooses its scratch. `backwards` walks the panels last to
 *  first: alternating it from step to step, the panels used last are used first next time, still
 *  in L2 when the packed matrix is about as large as L2 (W_hh of H = 256 is 1 MiB). */
void gemm_packed_rows(int64_t M, const float* A, int64_t lda, float alpha, const PackedB& B, float* C,
                      int64_t ldc, int thread, bool backwards = false);

/** C[M, j_begin:j_end] += A[M, K] · op(B)[:, j_begin:j_end] (j_begin a multiple of B.nr);
 *  calling thread only. */
void gemm_packed_cols(int64_t M, const float* A, int64_t lda, const PackedB& B, float* C, int64_t ldc,
                      int64_t j_begin, int64_t j_end, bool backwards = false);

/** General C = alpha op(A) op(B) + beta C, row-major with leading dimensions; threaded. */
void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

}  // namespace recurrent
