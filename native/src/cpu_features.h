// Run-time choice of the instruction-set level. Compiled without ISA flags (see CMakeLists.txt).
#pragma once

namespace recurrent {

enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

/** Highest level this CPU and OS support (AVX-512 needs F, BW, VL, DQ and OS-saved ZMM state). */
Isa detect_isa();

/** detect_isa(), lowered by RECURRENT_ISA=avx2|scalar when set. The TypeScript loader rejects
 *  other values (native/src/env.ts); here they are ignored. */
Isa default_isa();

const char* isa_name(Isa isa);

/** Parses "scalar" | "avx2" | "avx512"; returns false for anything else. */
bool parse_isa(const char* text, Isa* out);

}  // namespace recurrent
