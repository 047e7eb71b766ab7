// A fork-join pool created once; the calling thread takes part in every parallel_for.
#pragma once

#include <cstdint>
#include <atomic>
#include <functional>

namespace recurrent {

/** Number of threads (caller included) that parallel_for uses; at least 1. */
int pool_size();
/** Sets the pool size (1 = no worker threads); clamped to [1, 256]. Not callable from a task. */
void set_pool_size(int n);
/** Default size: the machine's hardware threads. */
int hardware_threads();

/** Runs fn(task, thread) for task in [0, n_tasks), spread over the pool; thread is in
 *  [0, pool_size()). Returns when all tasks are done. Called from inside a task, or with
 *  `parallel` false (work too small to pay for waking threads), it runs inline. */
void parallel_for(int64_t n_tasks, const std::function<void(int64_t task, int thread)>& fn, bool parallel = true);

/** Threads a parallel_for started now would really run at once (1 inside a task). */
int concurrent_threads();

/** A barrier for the threads of one parallel_for whose tasks all run at once (n_tasks <=
 *  concurrent_threads()). It spins, since the waits it is built for are microseconds; a wait
 *  longer than `patience_us` (a partner descheduled: the cores are busy elsewhere) marks the
 *  barrier slow and falls back to yielding. wait() returns the verdict of the last thread to
 *  arrive, the same for every thread: true to go on, false when some wait was slow, so callers
 *  can stop splitting work at the same step. */
class SpinBarrier {
 public:
  explicit SpinBarrier(int n, int patience_us = 50) : n_(n), patience_us_(patience_us) {}
  /** `judge` false: this wait never counts as slow (the first one also waits for the workers
   *  to wake up). */
  bool wait(bool judge = true);

 private:
  const int n_;
  const int patience_us_;
  std::atomic<int> count_{0};
  std::atomic<unsigned> generation_{0};
  std::atomic<bool> slow_{false};
  std::atomic<bool> verdict_{true};
};

/** Below this many flops a call stays on the calling thread (waking a worker costs ~10 µs). */
constexpr double kMinParallelFlops = 4e6;

}  // namespace recurrent
