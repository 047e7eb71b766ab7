#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace recurrent {
namespace {

thread_local bool in_task = false;
thread_local int current_thread = 0;  // pool index of this thread while it runs a task

/** Runs every task on the calling thread (marked as inside a task, so nested calls stay inline). */
void run_inline(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
  const bool was = in_task;
  in_task = true;
  try {
    for (int64_t t = 0; t < n_tasks; ++t) fn(t, current_thread);
  } catch (...) {
    in_task = was;
    throw;
  }
  in_task = was;
}

class Pool {
 public:
  ~Pool() { stop_workers(); }

  int size() {
    std::lock_guard<std::mutex> lock(resize_mutex_);
    ensure_started();
    return static_cast<int>(workers_.size()) + 1;
  }

  void resize(int n) {
    std::lock_guard<std::mutex> run_lock(run_mutex_);  // never while a job runs
    std::lock_guard<std::mutex> lock(resize_mutex_);
    started_ = true;
    stop_workers();
    start_workers(n);
  }

  void run(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
    std::unique_lock<std::mutex> run_lock(run_mutex_);  // one parallel_for at a time
    {
      std::lock_guard<std::mutex> lock(resize_mutex_);
      ensure_started();
    }
    if (workers_.empty()) {
      run_inline(n_tasks, fn);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      n_tasks_ = n_tasks;
      next_.store(0);
      done_tasks_ = 0;
      error_ = nullptr;
      ++generation_;
      published_.store(generation_, std::memory_order_release);
    }
    wake_.notify_all();
    work(0);
    // Done when every task has finished and no worker is still inside this job (fn lives on
    // this stack frame); a worker that wakes later finds job_ cleared and goes back to sleep.
    const auto finished = [&] { return done_tasks_ == n_tasks_ && busy_ == 0; };
    spin_until([&] {
      std::lock_guard<std::mutex> lock(mutex_);
      return finished();
    });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, finished);
    job_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void ensure_started() {
    if (!started_) {
      started_ = true;
      start_workers(hardware_threads());
    }
  }

  void start_workers(int n) {
    n = std::max(1, std::min(256, n));
    // The generation at creation, not at the worker's first look: run() starts the workers and
    // then its job at once, and a worker must take part in that job (a job whose tasks wait at a
    // SpinBarrier for each other needs every thread).
    uint64_t created;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      created = generation_;
    }
    for (int i = 1; i < n; ++i) workers_.emplace_back([this, i, created] { worker_loop(i, created); });
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }

  /** Takes tasks until none is left; returns how many it ran. */
  int64_t work(int thread) {
    in_task = true;
    current_thread = thread;
    int64_t ran = 0;
    for (;;) {
      const int64_t t = next_.fetch_add(1);
      if (t >= n_tasks_) break;
      try {
        (*job_)(t, thread);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      ++ran;
    }
    in_task = false;
    current_thread = 0;
    std::lock_guard<std::mutex> lock(mutex_);
    done_tasks_ += ran;
    return ran;
  }

  /**
   * Polls `ready` for up to kSpinMicros before the caller blocks on a condition variable. The
   * sections of one call follow each other within microseconds, and waking a sleeping thread
   * costs about as much as a short section; blocking at once left the second core idle for a
   * tenth of a two-thread training step.
   */
  template <typename Ready>
  static void spin_until(Ready ready) {
    constexpr int kSpinMicros = 50;
    const auto start = std::chrono::steady_clock::now();
    for (unsigned spins = 1; !ready(); ++spins) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if ((spins & 63) == 0 && std::chrono::steady_clock::now() - start >= std::chrono::microseconds(kSpinMicros)) return;
    }
  }

  void worker_loop(int thread, uint64_t created) {
    uint64_t seen = created;  // jobs started before this worker existed are not its business
    for (;;) {
      spin_until([&] { return published_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        if (job_ == nullptr) continue;  // that job already finished
        ++busy_;
      }
      work(thread);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --busy_;
      }
      done_.notify_one();
    }
  }

  std::mutex resize_mutex_, run_mutex_, mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  bool started_ = false, stopping_ = false;
  const std::function<void(int64_t, int)>* job_ = nullptr;
  int64_t n_tasks_ = 0;
  std::atomic<int64_t> next_{0};
  int64_t done_tasks_ = 0;  // tasks of the current job finished (guarded by mutex_)
  int busy_ = 0;            // workers inside the current job (guarded by mutex_)
  uint64_t generation_ = 0;
  std::atomic<uint64_t> published_{0};  // generation_, readable without the lock (spinning workers)
  std::exception_ptr error_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers may outlive static destruction order
  return *p;
}

}  // namespace

int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 256u));
}

int pool_size() { return pool().size(); }

int concurrent_threads() { return in_task ? 1 : pool_size(); }

bool SpinBarrier::wait(bool judge) {
  if (judge && patience_us_ <= 0) slow_.store(true, std::memory_order_release);  // no patience at all
  const unsigned gen = generation_.load(std::memory_order_acquire);
  if (count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
    verdict_.store(!slow_.load(std::memory_order_acquire), std::memory_order_relaxed);
    count_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    return verdict_.load(std::memory_order_relaxed);
  }
  const auto start = std::chrono::steady_clock::now();
  bool patient = true;
  for (unsigned spins = 1; generation_.load(std::memory_order_acquire) == gen; ++spins) {
    if (patient) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if ((spins & 255) == 0 && std::chrono::steady_clock::now() - start >= std::chrono::microseconds(patience_us_)) {
        patient = false;
        if (judge) slow_.store(true, std::memory_order_release);
      }
    } else {
      std::this_thread::yield();
    }
  }
  return verdict_.load(std::memory_order_relaxed);
}

void set_pool_size(int n) {
  if (in_task) return;
  pool().resize(n);
}

void parallel_for(int64_t n_tasks, const std::function<void(int64_t, int)>& fn, bool parallel) {
  if (n_tasks <= 0) return;
  if (in_task || n_tasks == 1 || !parallel) {
    run_inline(n_tasks, fn);
    return;
  }
  pool().run(n_tasks, fn);
}

}  // namespace recurrent
