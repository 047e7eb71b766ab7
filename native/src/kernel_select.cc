// Picks the kernel table once at load; compiled without ISA flags.
#include <atomic>

#include "kernels.h"

namespace recurrent {

static const KernelTable& table_for(Isa isa) {
#if defined(RECURRENT_X86)
  if (isa == Isa::avx512) return avx512_kernels();
  if (isa == Isa::avx2) return avx2_kernels();
#endif
  (void)isa;
  return scalar_kernels();
}

static std::atomic<const KernelTable*> current{nullptr};

const KernelTable& kernels() {
  const KernelTable* t = current.load(std::memory_order_acquire);
  if (t == nullptr) {
    t = &table_for(default_isa());
    current.store(t, std::memory_order_release);
  }
  return *t;
}

bool set_isa(Isa isa) {
  if (isa > detect_isa()) return false;
  current.store(&table_for(isa), std::memory_order_release);
  return true;
}

}  // namespace recurrent
