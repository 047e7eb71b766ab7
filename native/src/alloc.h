// Every typed array the bindings return (outputs, caches, gradients) is allocated here.
//
// napi_create_arraybuffer (v8::ArrayBuffer::New) ends the process with "FATAL ERROR:
// v8::ArrayBuffer::New Allocation failed" when the memory is not there (Node 20); the JavaScript
// constructor (`new Float32Array(n)`) instead throws a RangeError after V8 has collected garbage
// and retried. So arrays of kGracefulBytes or more are made by calling this environment's
// constructor, and a failure becomes a RangeError naming the array and its size, as the
// TypeScript backend's would. Smaller ones keep napi_create_arraybuffer: the call into
// JavaScript costs about a microsecond, a large share of a small call, and when a few hundred
// KiB cannot be had the process is out of memory for everything else too.
#pragma once

#include <napi.h>

#include <cstddef>

#include "args.h"

namespace recurrent {

/** Arrays from this size on are allocated so that failing to is a RangeError, not an abort. */
constexpr size_t kGracefulBytes = size_t{1} << 20;

/** A new zero-filled Float32Array of n elements; `what` names it in the error when it cannot be
 *  allocated ("embeddingForward: out"). */
Napi::Float32Array new_float32(Napi::Env env, size_t n, const Text& what);
/** Same, Float64Array. */
Napi::Float64Array new_float64(Napi::Env env, size_t n, const Text& what);

}  // namespace recurrent
