// Buffers reused across calls: they grow to the largest size asked for and are never shrunk,
// so steady-state training allocates nothing per call.
#pragma once

#include <cstddef>
#include <mutex>

namespace recurrent {

/** A 64-byte aligned float buffer that only grows. */
class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer();
  /** At least n floats (contents unspecified). Throws OutOfMemory (a std::bad_alloc naming the size). */
  float* get(size_t n);

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

/** Named buffers of the kernels; each kernel documents which ones it uses. */
struct Workspace {
  Buffer gemm_packed_b;    // general GEMM: op(B) block packed in NR panels
  Buffer seq_cache;        // sequence forward without keepCache: the cache it would have kept
  Buffer seq_packed_1;     // W_hh (or its gate rows) packed for the step product
  Buffer seq_packed_2;     // second packed matrix (W_hn of GRU/MGU with reset before)
  Buffer seq_packed_3;     // gate-recurrence matrix of FGR LSTM
  Buffer seq_bias;         // [G*H] combined input-side bias
  Buffer seq_dgates;       // backward: [T, B, G*H] gradient of the input-side pre-activations
  Buffer seq_dgates_h;     // backward: [T, B, G*H] gradient of the hidden-side pre-activations
  Buffer seq_state;        // backward: carried gradients [B, H] (dh), [B, H] (dc), [B, 3H] (da)
  Buffer seq_extra;        // backward: FGR copies [T, B, 3H] x2
};

/** The workspace of the synchronous and asynchronous calls; hold compute_mutex() while using it. */
Workspace& workspace();
std::mutex& compute_mutex();

/** Per-pool-thread scratch: slot s of thread t, at least n floats. */
float* thread_scratch(int thread, int slot, size_t n);

}  // namespace recurrent
