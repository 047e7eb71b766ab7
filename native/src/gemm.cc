#include "gemm.h"

#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "thread_pool.h"
#include "workspace.h"

namespace recurrent {
namespace {

constexpr int64_t kKc = 256;          // K block of the general GEMM (a [kc, nr] panel fits L1/L2)
constexpr int64_t kMcPanels = 8;      // rows of a task = kMcPanels * mr
constexpr int64_t kNcPanels = 16;     // columns of a task = kNcPanels * nr
constexpr int kScratchPackA = 0;      // thread_scratch slot of packed A

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/** Rows per micro tile: the M rows split into as few tiles as mr allows, evenly (16 rows with
 *  mr = 12 become 8 + 8, not 12 + 4, which keeps every tile's loads-per-FMA low). */
int64_t tile_rows(int64_t M, int mr) {
  const int64_t tiles = ceil_div(M, mr);
  return ceil_div(M, tiles);
}

/** Packs rows [0, M) of alpha * op(A)[:, k0:k0+kc] into panels of mt rows with stride mr per k
 *  ([kc, mr], rows past mt zero), panel p at out + p * kc * mr. */
void pack_a(const KernelTable& kt, const float* A, bool transA, int64_t lda, int64_t M, int64_t k0, int64_t kc,
            float alpha, int64_t mt, float* out) {
  const int mr = kt.mr;
  for (int64_t i0 = 0, p = 0; i0 < M; i0 += mt, ++p) {
    const int rows = static_cast<int>(std::min<int64_t>(mt, M - i0));
    float* panel = out + p * kc * mr;
    if (transA) {
      kt.pack_a_trans(A + k0 * lda + i0, lda, rows, kc, alpha, panel);
      continue;
    }
    for (int64_t k = 0; k < kc; ++k) {
      for (int r = 0; r < rows; ++r) panel[k * mr + r] = alpha * A[(i0 + r) * lda + k0 + k];
      for (int r = rows; r < mr; ++r) panel[k * mr + r] = 0.0f;
    }
  }
}

void pack_b_panel(const KernelTable& kt, const float* B, bool transB, int64_t ldb, int64_t K, int64_t N, int64_t j0,
                  float* panel) {
  const int nr = kt.nr;
  const int64_t cols = std::min<int64_t>(nr, N - j0);
  if (transB) {
    kt.pack_b_trans(B + j0 * ldb, ldb, static_cast<int>(cols), K, panel);
    return;
  }
  for (int64_t k = 0; k < K; ++k) {
    const float* src = B + k * ldb + j0;
    float* dst = panel + k * nr;
    std::memcpy(dst, src, static_cast<size_t>(cols) * sizeof(float));
    for (int64_t j = cols; j < nr; ++j) dst[j] = 0.0f;
  }
}

/** C[rows, cols] += Ap (packed [K, mr] panels of `rows` rows) * Bp panels, cols <= panel count * nr. */
void run_micro(const KernelTable& kt, int64_t rows, int64_t mt, int64_t K, const float* Ap, const float* Bp_first,
               int64_t j_begin, int64_t j_end, int64_t N, float* C, int64_t ldc) {
  const int mr = kt.mr, nr = kt.nr;
  alignas(64) float tile[kMaxMr * 64];
  for (int64_t j0 = j_begin; j0 < j_end; j0 += nr) {
    const float* Bp = Bp_first + (j0 / nr) * K * nr;
    const int64_t cols = std::min<int64_t>(nr, N - j0);
    for (int64_t i0 = 0, p = 0; i0 < rows; i0 += mt, ++p) {
      const int m = static_cast<int>(std::min<int64_t>(mt, rows - i0));
      const float* Ap_panel = Ap + p * K * mr;
      if (cols == nr) {
        kt.micro[m](K, Ap_panel, Bp, C + i0 * ldc + j0, ldc);
      } else {
        std::memset(tile, 0, sizeof(float) * static_cast<size_t>(m) * nr);
        kt.micro[m](K, Ap_panel, Bp, tile, nr);
        for (int r = 0; r < m; ++r)
          for (int64_t j = 0; j < cols; ++j) C[(i0 + r) * ldc + j0 + j] += tile[r * nr + j];
      }
    }
  }
}

/** run_micro with A read in place (row-major, row stride lda, alpha = 1). */
void run_micro_rows(const KernelTable& kt, int64_t rows, int64_t mt, int64_t K, const float* A, int64_t lda,
                    const float* Bp_first, int64_t j_begin, int64_t j_end, int64_t N, float* C, int64_t ldc,
                    bool backwards = false) {
  const int nr = kt.nr;
  alignas(64) float tile[kMaxMr * 64];
  const int64_t panels = ceil_div(j_end - j_begin, nr);
  for (int64_t p = 0; p < panels; ++p) {
    const int64_t j0 = j_begin + (backwards ? panels - 1 - p : p) * nr;
    const float* Bp = Bp_first + (j0 / nr) * K * nr;
    const int64_t cols = std::min<int64_t>(nr, N - j0);
    for (int64_t i0 = 0; i0 < rows; i0 += mt) {
      const int m = static_cast<int>(std::min<int64_t>(mt, rows - i0));
      if (cols == nr) {
        kt.micro_rows[m](K, A + i0 * lda, lda, Bp, C + i0 * ldc + j0, ldc);
      } else {
        std::memset(tile, 0, sizeof(float) * static_cast<size_t>(m) * nr);
        kt.micro_rows[m](K, A + i0 * lda, lda, Bp, tile, nr);
        for (int r = 0; r < m; ++r)
          for (int64_t j = 0; j < cols; ++j) C[(i0 + r) * ldc + j0 + j] += tile[r * nr + j];
      }
    }
  }
}

void scale_c(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
  if (beta == 1.0f) return;
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.0f) std::memset(c, 0, static_cast<size_t>(N) * sizeof(float));
    else for (int64_t j = 0; j < N; ++j) c[j] *= beta;
  }
}

}  // namespace

size_t packed_b_size(int64_t K, int64_t N) {
  const int nr = kernels().nr;
  return static_cast<size_t>(ceil_div(N, nr) * nr * K);
}

PackedB pack_b(const float* B, bool transB, int64_t ldb, int64_t K, int64_t N, float* out) {
  const KernelTable& kt = kernels();
  const int nr = kt.nr;
  const int64_t panels = ceil_div(N, nr);
  if (K > 0)
    parallel_for(panels, [&](int64_t p, int) {
      pack_b_panel(kt, B, transB, ldb, K, N, p * nr, out + p * K * nr);
    }, static_cast<double>(K) * N >= 65536);  // 256 KiB: worth two cores' bandwidth
  return PackedB{out, K, N, nr};
}

PackedB pack_step_matrix(const float* W, int64_t ldw, int64_t K, int64_t N, int64_t rows, int64_t steps, float* out) {
  if (rows * steps <= kInPlaceMaxProducts) return PackedB{nullptr, K, N, kernels().nr, W, ldw};
  return pack_b(W, true, ldw, K, N, out);
}

void gemm_packed_rows(int64_t M, const float* A, int64_t lda, float alpha, const PackedB& B, float* C,
                      int64_t ldc, int thread, bool backwards) {
  if (M <= 0 || B.N <= 0 || B.K <= 0) return;
  const KernelTable& kt = kernels();
  if (B.in_place != nullptr) {
    float* scaled = alpha == 1.0f ? nullptr : thread_scratch(thread, kScratchPackA, static_cast<size_t>(B.K));  // [K]
    for (int64_t i = 0; i < M; ++i) {
      const float* a = A + i * lda;  // [K] row i, scaled by alpha when alpha ≠ 1
      if (scaled != nullptr) {
        for (int64_t k = 0; k < B.K; ++k) scaled[k] = alpha * a[k];
        a = scaled;
      }
      kt.gemv_rows(B.N, B.K, B.in_place, B.ld, a, C + i * ldc);
    }
    return;
  }
  const int64_t mt = tile_rows(M, kt.mr);
  if (alpha == 1.0f) {
    run_micro_rows(kt, M, mt, B.K, A, lda, B.data, 0, B.N, B.N, C, ldc, backwards);
    return;
  }
  float* Ap = thread_scratch(thread, kScratchPackA, static_cast<size_t>(ceil_div(M, mt) * kt.mr * B.K));
  pack_a(kt, A, false, lda, M, 0, B.K, alpha, mt, Ap);
  run_micro(kt, M, mt, B.K, Ap, B.data, 0, B.N, B.N, C, ldc);
}

void gemm_packed_cols(int64_t M, const float* A, int64_t lda, const PackedB& B, float* C, int64_t ldc,
                      int64_t j_begin, int64_t j_end, bool backwards) {
  if (M <= 0 || j_end <= j_begin || B.K <= 0) return;
  const KernelTable& kt = kernels();
  if (B.in_place != nullptr) {
    for (int64_t i = 0; i < M; ++i)
      kt.gemv_rows(j_end - j_begin, B.K, B.in_place + j_begin * B.ld, B.ld, A + i * lda, C + i * ldc + j_begin);
    return;
  }
  run_micro_rows(kt, M, tile_rows(M, kt.mr), B.K, A, lda, B.data, j_begin, j_end, B.N, C, ldc, backwards);
}

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  scale_c(M, N, beta, C, ldc);
  if (K <= 0 || alpha == 0.0f) return;
  const KernelTable& kt = kernels();
  if (!transA && transB && alpha == 1.0f && M <= kInPlaceMaxProducts) {  // x · Wᵀ of one or two rows
    for (int64_t i = 0; i < M; ++i) kt.gemv_rows(N, K, B, ldb, A + i * lda, C + i * ldc);
    return;
  }
  const int64_t mc = kMcPanels * kt.mr, nc = kNcPanels * kt.nr;
  const int64_t m_blocks = ceil_div(M, mc), n_blocks = ceil_div(N, nc);
  float* Bp = workspace().gemm_packed_b.get(packed_b_size(std::min(K, kKc), N));
  for (int64_t k0 = 0; k0 < K; k0 += kKc) {
    const int64_t kc = std::min(kKc, K - k0);
    const float* Bsrc = transB ? B + k0 : B + k0 * ldb;
    pack_b(Bsrc, transB, ldb, kc, N, Bp);
    const bool parallel = 2.0 * M * N * kc >= kMinParallelFlops;
    parallel_for(m_blocks * n_blocks, [&](int64_t task, int thread) {
      const int64_t mb = task / n_blocks, nb = task % n_blocks;
      const int64_t i0 = mb * mc, rows = std::min(mc, M - i0);
      const int64_t j0 = nb * nc, j1 = std::min(N, j0 + nc);
      const int64_t mt = tile_rows(rows, kt.mr);
      if (!transA && alpha == 1.0f) {  // row-major A: read in place
        run_micro_rows(kt, rows, mt, kc, A + i0 * lda + k0, lda, Bp, j0, j1, N, C + i0 * ldc, ldc);
        return;
      }
      float* Ap = thread_scratch(thread, kScratchPackA, static_cast<size_t>(ceil_div(rows, mt) * kt.mr * kc));
      const float* Asrc = transA ? A + i0 : A + i0 * lda;
      pack_a(kt, Asrc, transA, lda, rows, k0, kc, alpha, mt, Ap);
      run_micro(kt, rows, mt, kc, Ap, Bp, j0, j1, N, C + i0 * ldc, ldc);
    }, parallel);
  }
}

}  // namespace recurrent
