// Validation at the JavaScript boundary: every value the kernels read is checked here, and bad
// input becomes a JavaScript TypeError or RangeError that names what was expected and what came.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "failure.h"  // guarded: every binding is registered through it

namespace recurrent {

/**
 * An argument's name or shape for an error message, joined from at most two parts only when a
 * message is built: most calls succeed, and concatenating every name eagerly was a large share
 * of a small call. The parts are borrowed and must outlive the call that receives the Text.
 */
class Text {
 public:
  Text(const char* a) : a_(a) {}  // NOLINT: implicit, so call sites may pass strings as before
  Text(const std::string& a) : a_(a.c_str()) {}  // NOLINT
  Text(const std::string& a, const char* b) : a_(a.c_str()), b_(b) {}
  Text(const char* a, const std::string& b) : a_(a), b_(b.c_str()) {}
  std::string str() const { return b_ != nullptr ? std::string(a_) + b_ : std::string(a_); }

 private:
  const char* a_;
  const char* b_ = nullptr;
};
inline std::string operator+(const Text& t, const std::string& s) { return t.str() + s; }
inline std::string operator+(const Text& t, const char* s) { return t.str() + s; }
inline std::string operator+(const std::string& s, const Text& t) { return s + t.str(); }

/** Largest element count of any buffer a call may ask for (16 GiB of floats). */
constexpr uint64_t kMaxElements = uint64_t{1} << 32;

/** a * b, throwing a RangeError naming `what` when it exceeds kMaxElements. */
uint64_t checked_mul(Napi::Env env, uint64_t a, uint64_t b, const Text& what);

/** "[2, 3, 4]" */
std::string shape_text(std::initializer_list<int64_t> dims);

/** A description of a JavaScript value for error messages: "Float64Array of length 6", "null". */
std::string describe(Napi::Value v);

struct F32 {
  float* data = nullptr;  // nullptr for an optional argument given as null
  size_t length = 0;
};

/** A Float32Array of exactly `length` elements over a plain, attached ArrayBuffer. */
F32 f32_arg(Napi::Value v, const Text& name, uint64_t length, const Text& shape);
/** Same, or {nullptr, 0} for null / undefined. */
F32 f32_optional(Napi::Value v, const Text& name, uint64_t length, const Text& shape);
/** A Float32Array or Float64Array (the ESN kernels take either); exactly one pointer is set
 *  when the array is non-empty. */
struct AnyFloat {
  float* f32 = nullptr;
  double* f64 = nullptr;
  size_t length = 0;
  const void* begin() const { return f64 != nullptr ? static_cast<const void*>(f64) : static_cast<const void*>(f32); }
  size_t bytes() const { return length * (f64 != nullptr ? sizeof(double) : sizeof(float)); }
};

/** A Float32Array or Float64Array of exactly `length` elements (`float64_only`: Float64Array). */
AnyFloat any_float_arg(Napi::Value v, const Text& name, uint64_t length, const Text& shape,
                       bool float64_only = false);
/** Same, or an empty AnyFloat for null / undefined. */
AnyFloat any_float_optional(Napi::Value v, const Text& name, uint64_t length, const Text& shape);

/** Throws when two byte ranges overlap (an output aliasing an input). */
void check_no_overlap_bytes(Napi::Env env, const void* a, size_t na, const void* b, size_t nb, const Text& what);

/** An Int32Array of exactly `length` elements (any length when length is UINT64_MAX). */
const int32_t* i32_arg(Napi::Value v, const Text& name, uint64_t* length);

/** A non-negative integer below 2^31. */
int64_t dim_arg(Napi::Value v, const Text& name);
bool bool_arg(Napi::Value v, const Text& name);
double number_arg(Napi::Value v, const Text& name);
std::string string_arg(Napi::Value v, const Text& name);
Napi::Object object_arg(Napi::Value v, const Text& name);

/** Throws a TypeError / RangeError (as a C++ exception node-addon-api turns into a JS one). */
[[noreturn]] void throw_type(Napi::Env env, const std::string& message);
[[noreturn]] void throw_range(Napi::Env env, const std::string& message);

/** Throws when [a, a + na) and [b, b + nb) overlap (an output aliasing an input). */
void check_no_overlap(Napi::Env env, const float* a, size_t na, const float* b, size_t nb, const Text& what);

}  // namespace recurrent
