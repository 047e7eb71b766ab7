#include "workspace.h"

#include <cstdlib>
#include <new>
#include <vector>

#include "failure.h"
#include "thread_pool.h"

namespace recurrent {

Buffer::~Buffer() { std::free(data_); }

float* Buffer::get(size_t n) {
  if (n <= capacity_ && data_ != nullptr) return data_;
  const size_t want = n < 16 ? 16 : n;
  if (want > (static_cast<size_t>(1) << 40)) throw OutOfMemory(want * sizeof(float), "a workspace buffer");
  const size_t bytes = ((want * sizeof(float) + 63) / 64) * 64;
  void* p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw OutOfMemory(bytes, "a workspace buffer");
  std::free(data_);
  data_ = static_cast<float*>(p);
  capacity_ = want;
  return data_;
}

Workspace& workspace() {
  static Workspace* w = new Workspace();
  return *w;
}

std::mutex& compute_mutex() {
  static std::mutex* m = new std::mutex();
  return *m;
}

namespace {
constexpr int kSlots = 4;
struct ThreadScratch {
  Buffer slots[kSlots];
};
}  // namespace

float* thread_scratch(int thread, int slot, size_t n) {
  // One set per pool index; pool threads with the same index never run tasks at once.
  static std::vector<ThreadScratch>* all = new std::vector<ThreadScratch>(256);
  return (*all)[static_cast<size_t>(thread)].slots[slot].get(n);
}

}  // namespace recurrent
