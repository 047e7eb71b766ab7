// The blocked Cholesky driver (see esn_cholesky.h): right-looking block steps of kBlock columns.
// Each step factorises its diagonal block (itself blocked with kInnerBlock, unblocked below
// that), then the kernels solve the panel below it and apply the rank-kb update to the trailing
// matrix, both split over the thread pool.
#include "esn_cholesky.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "thread_pool.h"

namespace recurrent {

const CholeskyKernelTable& cholesky_kernels() {
#if defined(RECURRENT_X86)
  const Isa isa = kernels().isa;
  if (isa == Isa::avx512) return cholesky_avx512_kernels();
  if (isa == Isa::avx2) return cholesky_avx2_kernels();
#endif
  return cholesky_scalar_kernels();
}

namespace {

constexpr int64_t kBlock = 128;      // columns per block step (64 … 256 time within 5 % of each other at n = 4002)
constexpr int64_t kInnerBlock = 32;  // columns per block step inside a diagonal block
constexpr int64_t kUnblocked = 32;   // at most this size, a diagonal block is factorised unblocked

/** Pivot j fails unless d > 4ε·|A_jj| (A_jj as given): the test of choleskyInPlace. */
bool pivot_ok(double d, double ajj) { return d > 4 * DBL_EPSILON * std::fabs(ajj); }

/**
 * Unblocked left-looking factorisation of the n × n matrix at a (stride lda) whose earlier
 * columns were already subtracted: column j subtracts only columns [0, j) of this block. `diag0`
 * holds the diagonal as given, `offset` the index of a[0, 0] in the whole matrix.
 */
bool factor_unblocked(double* a, int64_t lda, int64_t n, const double* diag0, int64_t offset, CholeskyFailure* failure) {
  for (int64_t j = 0; j < n; ++j) {
    double* rj = a + j * lda;
    double d = rj[j];
    for (int64_t k = 0; k < j; ++k) d -= rj[k] * rj[k];
    if (!pivot_ok(d, diag0[j])) {
      *failure = CholeskyFailure{offset + j, d};
      return false;
    }
    const double ljj = std::sqrt(d);
    rj[j] = ljj;
    for (int64_t i = j + 1; i < n; ++i) {
      double* ri = a + i * lda;
      double s = ri[j];
      for (int64_t k = 0; k < j; ++k) s -= ri[k] * rj[k];
      ri[j] = s / ljj;
    }
  }
  return true;
}

/** Splits [0, panels) into `tasks` ranges of about equal triangle area (row panel p updates p + 1
 *  column panels), each boundary a multiple of `align`. */
std::vector<int64_t> area_split(int64_t panels, int64_t tasks, int64_t align) {
  std::vector<int64_t> bounds{0};
  for (int64_t t = 1; t < tasks; ++t) {
    int64_t b = static_cast<int64_t>(std::llround(panels * std::sqrt(static_cast<double>(t) / tasks)));
    b = b / align * align;
    if (b > bounds.back() && b < panels) bounds.push_back(b);
  }
  bounds.push_back(panels);
  return bounds;
}

/**
 * Factorises the n × n matrix at a (stride lda) with block steps of nb columns; diagonal blocks
 * recurse with kInnerBlock. The update of a step is split into row ranges of equal area, four
 * per thread, so that a thread slowed by other work on the machine does not hold up the step.
 */
bool factor_blocked(const CholeskyKernelTable& table, double* a, int64_t lda, int64_t n, int64_t nb, const double* diag0,
                    int64_t offset, CholeskyFailure* failure) {
  if (n <= kUnblocked) return factor_unblocked(a, lda, n, diag0, offset, failure);
  const int64_t C = table.lanes;
  std::vector<double> packed(((n + C - 1) / C) * C * nb);  // [panels, nb, C]
  const int threads = pool_size();
  for (int64_t k0 = 0; k0 < n; k0 += nb) {
    const int64_t kb = std::min(nb, n - k0);
    double* diag_block = a + k0 * lda + k0;
    const bool ok = kb > kInnerBlock && nb > kInnerBlock
                        ? factor_blocked(table, diag_block, lda, kb, kInnerBlock, diag0 + k0, offset + k0, failure)
                        : factor_unblocked(diag_block, lda, kb, diag0 + k0, offset + k0, failure);
    if (!ok) return false;
    const int64_t m = n - k0 - kb;
    if (m == 0) break;
    const int64_t panels = (m + C - 1) / C;
    const CholStep step{a, lda, n, k0, kb, packed.data()};
    const double panel_flops = static_cast<double>(m) * kb * kb;
    const int64_t panel_tasks = std::min<int64_t>(panels, 4 * threads);
    parallel_for(
        panel_tasks,
        [&](int64_t task, int) { table.panel(step, panels * task / panel_tasks, panels * (task + 1) / panel_tasks); },
        panel_flops >= kMinParallelFlops);
    const double update_flops = static_cast<double>(m) * m * kb;
    const std::vector<int64_t> bounds = area_split(panels, 4 * threads, table.tile_panels);
    parallel_for(
        static_cast<int64_t>(bounds.size()) - 1, [&](int64_t task, int) { table.update(step, bounds[task], bounds[task + 1]); },
        update_flops >= kMinParallelFlops);
  }
  return true;
}

}  // namespace

bool esn_cholesky(double* a, int64_t n, double* b, int64_t m, CholeskyFailure* failure) {
  if (n == 0) return true;
  const CholeskyKernelTable& table = cholesky_kernels();
  std::vector<double> diag0(n);  // [n] the diagonal as given, for the pivot test
  for (int64_t j = 0; j < n; ++j) diag0[j] = a[j * n + j];
  if (!factor_blocked(table, a, n, n, kBlock, diag0.data(), 0, failure)) return false;
  if (b == nullptr || m == 0) return true;
  std::vector<double> bt(m * n);  // [m, n] Bᵀ: each right-hand side contiguous
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = 0; c < m; ++c) bt[c * n + i] = b[i * m + c];
  table.solve(a, n, bt.data(), m);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = 0; c < m; ++c) b[i * m + c] = bt[c * n + i];
  return true;
}

}  // namespace recurrent
