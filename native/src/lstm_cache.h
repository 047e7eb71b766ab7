// What the LSTM forward keeps for its backward, and the batch-1 forward that splits the hidden
// units over threads (lstm_by_units.cc).
#pragma once

#include <cstdint>

#include "gemm.h"
#include "sequence.h"

namespace recurrent {

/** Cache [7, T, B, H]: h_prev | acts (i f g o after activation) | c_prev | c. */
struct LstmCacheView {
  float* h_prev;  // [T, B, H]
  float* acts;    // [T, B, 4H]
  float* c_prev;  // [T, B, H]
  float* c;       // [T, B, H]
  LstmCacheView(float* base, int64_t TBH)
      : h_prev(base), acts(base + TBH), c_prev(base + 5 * TBH), c(base + 6 * TBH) {}
};


/** The default-variant forward with the hidden units split over threads, for batches smaller
 *  than the thread count; false (nothing done) when the shape or the moment does not suit. */
bool lstm_forward_by_units(const SeqForward& f, float* cache_base, const PackedB& whh);

}  // namespace recurrent
