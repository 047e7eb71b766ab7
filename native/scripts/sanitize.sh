#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build of the addon, then the conformance,
# fixture and malformed-input suites against it. The sanitized addon goes to build-sanitize/, so
# the regular build/Release stays untouched; RECURRENT_NATIVE_ADDON points the loader at it.
#
#   bash scripts/sanitize.sh            # or: npm run sanitize -w @recurrent/native
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
out="$here/build-sanitize"

node scripts/build-addon.mjs --rebuild -- --out "$out" --CDRECURRENT_SANITIZE=ON --config RelWithDebInfo

addon="$(find "$out" -name 'recurrent_native.node' | head -1)"

# Node itself is not instrumented: preload the ASan runtime, and do not fail on the leaks of
# V8 and Node (LeakSanitizer would report their process-lifetime allocations).
asan="$(g++ -print-file-name=libasan.so)"
ubsan="$(g++ -print-file-name=libubsan.so)"
export LD_PRELOAD="$asan:$ubsan"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export RECURRENT_NATIVE_ADDON="$addon"
npx vitest run src/conformance.test.ts src/fixtures.test.ts src/malformed-input.test.ts src/esn-kernels.test.ts src/esn-cholesky.test.ts
