// Environment variables the C++ side reads at call time. The TypeScript loader
// (native/src/env.ts) rejects a bad value with an EnvError before the addon loads; a value set
// later still reaches getenv, so here a bad one means the default, never a crash.
#pragma once

#include <cstdlib>

namespace recurrent {

/** The range native/src/env.ts accepts for RECURRENT_SPLIT_PATIENCE_US. */
constexpr long kMaxSplitPatienceUs = 1000000;

/**
 * RECURRENT_SPLIT_PATIENCE_US: how long a split's barrier waits before a partner counts as
 * descheduled (tests: 0 forces the fallback). `fallback` unless a decimal integer in range.
 */
inline int split_patience_us(int fallback) {
  const char* text = std::getenv("RECURRENT_SPLIT_PATIENCE_US");
  if (text == nullptr || *text == '\0') return fallback;
  long v = 0;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return fallback;
    v = v * 10 + (*p - '0');
    if (v > kMaxSplitPatienceUs) return fallback;
  }
  return static_cast<int>(v);
}

}  // namespace recurrent
