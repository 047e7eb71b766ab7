#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "env.h"
#include "kernels.h"
#include "lstm_cache.h"
#include "thread_pool.h"

namespace recurrent {
namespace {

std::atomic<int64_t> split_paused_until{0};  // steady_clock ns

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

/**
 * Small batches (fewer rows than threads): the threads split the hidden units instead, each
 * owning the four gate columns of its units, with a barrier per step. Each thread then reads
 * only its share of W_hh, which fits its core's L2 (the whole of W_hh, 1 MiB at H = 256, does
 * not fit one). When a barrier wait shows a partner descheduled (the cores busy elsewhere), the
 * first thread finishes the sequence alone and the split is not tried again for 200 ms.
 * Default variant only; false when the shape does not suit (the caller runs the row path).
 */
bool lstm_forward_by_units(const SeqForward& f, float* cache_base, const PackedB& whh) {
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H, BH = B * H, G4 = 4 * H;
  const int64_t nr = whh.nr;
  int64_t threads = std::min<int64_t>(concurrent_threads(), H / nr);
  while (threads > 1 && H % (threads * nr) != 0) --threads;  // whole panels per thread
  const double step_flops = 2.0 * B * G4 * H;  // ~1 µs of work per step pays for the barrier
  if (threads < 2 || B >= threads || step_flops < 2.5e5) return false;
  if (now_ns() < split_paused_until.load(std::memory_order_relaxed)) return false;
  const int64_t U = H / threads;  // units per thread, a multiple of nr
  const LstmCacheView cache(cache_base, T * BH);
  const KernelTable& k = kernels();
  SpinBarrier barrier(static_cast<int>(threads), split_patience_us(50));
  // One step for units [u0, u0 + width) of every row.
  const auto step = [&](int64_t s, int64_t u0, int64_t width) {
    const int64_t t = step_time(f, s);
    const float* hp = prev_state(f, s, f.h0, f.y, BH);     // [B, H], all units
    const float* cp = prev_state(f, s, f.c0, cache.c, BH);  // [B, H]
    float* pre = cache.acts + t * B * G4;                   // [B, 4H]
    for (int64_t r = 0; r < B && f.cache != nullptr; ++r) {  // only the backward pass reads them
      std::memcpy(cache.h_prev + t * BH + r * H + u0, hp + r * H + u0, sizeof(float) * width);
      std::memcpy(cache.c_prev + t * BH + r * H + u0, cp + r * H + u0, sizeof(float) * width);
    }
    for (int64_t g = 0; g < 4; ++g) gemm_packed_cols(B, hp, H, whh, pre, G4, g * H + u0, g * H + u0 + width, s & 1);
    for (int64_t r = 0; r < B; ++r) {
      const int64_t o = t * BH + r * H + u0;
      k.lstm_forward_row(width, H, pre + r * G4 + u0, cp + r * H + u0, pre + r * G4 + u0, cache.c + o, f.y + o);
    }
  };
  parallel_for(threads, [&](int64_t task, int) {
    for (int64_t s = 0; s < T; ++s) {
      step(s, task * U, U);
      if (barrier.wait(s > 0)) continue;  // step s+1 reads every unit of h_t
      // A partner was descheduled: task 0 finishes alone, the others stop.
      if (task == 0) {
        split_paused_until.store(now_ns() + 200000000, std::memory_order_relaxed);
        for (int64_t s2 = s + 1; s2 < T; ++s2) step(s2, 0, H);
      }
      return;
    }
  });
  const int64_t t_last = step_time(f, T - 1);
  std::memcpy(f.h_n, f.y + t_last * BH, sizeof(float) * BH);
  std::memcpy(f.c_n, cache.c + t_last * BH, sizeof(float) * BH);
  return true;
}

}  // namespace recurrent
