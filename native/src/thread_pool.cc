#include "thread_pool.h"

#include <algorithm>
#include <atomic>
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
    const int helpers = static_cast<int>(std::min<int64_t>(workers_.size(), n_tasks - 1));
    if (helpers <= 0) {
      run_inline(n_tasks, fn);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      n_tasks_ = n_tasks;
      next_.store(0);
      helpers_ = helpers;
      remaining_ = helpers;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    work(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return remaining_ == 0; });
    job_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static void run_inline(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
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

  void ensure_started() {
    if (!started_) {
      started_ = true;
      start_workers(hardware_threads());
    }
  }

  void start_workers(int n) {
    n = std::max(1, std::min(256, n));
    for (int i = 1; i < n; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stopping_ = false;
  }

  void work(int thread) {
    in_task = true;
    current_thread = thread;
    for (;;) {
      const int64_t t = next_.fetch_add(1);
      if (t >= n_tasks_) break;
      try {
        (*job_)(t, thread);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
    in_task = false;
    current_thread = 0;
  }

  void worker_loop(int thread) {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        // Only the first `helpers_` workers join a job (run() waits for exactly that many).
        if (thread > helpers_) continue;
      }
      work(thread);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--remaining_ == 0) done_.notify_one();
      }
    }
  }

  std::mutex resize_mutex_, run_mutex_, mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  bool started_ = false, stopping_ = false;
  const std::function<void(int64_t, int)>* job_ = nullptr;
  int64_t n_tasks_ = 0;
  std::atomic<int64_t> next_{0};
  int helpers_ = 0;    // workers taking part in the current job
  int remaining_ = 0;  // of those, how many have not finished
  uint64_t generation_ = 0;
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

void set_pool_size(int n) {
  if (in_task) return;
  pool().resize(n);
}

void parallel_for(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
  if (n_tasks <= 0) return;
  if (in_task || n_tasks == 1) {
    const bool was = in_task;
    in_task = true;
    try {
      for (int64_t t = 0; t < n_tasks; ++t) fn(t, current_thread);
    } catch (...) {
      in_task = was;
      throw;
    }
    in_task = was;
    return;
  }
  pool().run(n_tasks, fn);
}

}  // namespace recurrent
