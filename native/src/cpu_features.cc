#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

#if defined(RECURRENT_X86) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

namespace recurrent {

#if defined(RECURRENT_X86) && (defined(__GNUC__) || defined(__clang__))
static unsigned long long read_xcr0() {
  unsigned int eax = 0, edx = 0;
  // xgetbv with ecx = 0; encoded as bytes so this file needs no -mxsave.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

Isa detect_isa() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return Isa::scalar;
  const bool osxsave = (ecx >> 27) & 1;
  const bool fma = (ecx >> 12) & 1;
  const bool avx = (ecx >> 28) & 1;
  if (!osxsave || !avx || !fma) return Isa::scalar;
  const unsigned long long xcr0 = read_xcr0();
  if ((xcr0 & 0x6) != 0x6) return Isa::scalar;  // XMM and YMM state saved by the OS
  if (__get_cpuid_max(0, nullptr) < 7) return Isa::scalar;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool avx2 = (ebx >> 5) & 1;
  if (!avx2) return Isa::scalar;
  const bool avx512f = (ebx >> 16) & 1, avx512dq = (ebx >> 17) & 1;
  const bool avx512bw = (ebx >> 30) & 1, avx512vl = (ebx >> 31) & 1;
  const bool zmm_state = (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
  if (avx512f && avx512dq && avx512bw && avx512vl && zmm_state) return Isa::avx512;
  return Isa::avx2;
}
#else
Isa detect_isa() { return Isa::scalar; }
#endif

bool parse_isa(const char* text, Isa* out) {
  if (text == nullptr) return false;
  if (std::strcmp(text, "scalar") == 0) *out = Isa::scalar;
  else if (std::strcmp(text, "avx2") == 0) *out = Isa::avx2;
  else if (std::strcmp(text, "avx512") == 0) *out = Isa::avx512;
  else return false;
  return true;
}

Isa default_isa() {
  const Isa best = detect_isa();
  Isa wanted;
  if (parse_isa(std::getenv("RECURRENT_ISA"), &wanted) && wanted < best) return wanted;
  return best;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace recurrent
