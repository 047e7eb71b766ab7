#include "args.h"

#include <cmath>
#include <sstream>

namespace recurrent {

void throw_type(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, "recurrent native: " + message);
}

void throw_range(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, "recurrent native: " + message);
}

uint64_t checked_mul(Napi::Env env, uint64_t a, uint64_t b, const Text& what) {
  if (a != 0 && b > kMaxElements / a)
    throw_range(env, what + " is too large (more than 2^32 elements)");
  const uint64_t p = a * b;
  if (p > kMaxElements) throw_range(env, what + " is too large (more than 2^32 elements)");
  return p;
}

std::string shape_text(std::initializer_list<int64_t> dims) {
  std::ostringstream s;
  s << '[';
  bool first = true;
  for (int64_t d : dims) {
    if (!first) s << ", ";
    s << d;
    first = false;
  }
  s << ']';
  return s.str();
}

std::string describe(Napi::Value v) {
  if (v.IsNull()) return "null";
  if (v.IsUndefined()) return "undefined";
  if (v.IsTypedArray()) {
    Napi::TypedArray t = v.As<Napi::TypedArray>();
    const char* kind = "TypedArray";
    switch (t.TypedArrayType()) {
      case napi_float32_array: kind = "Float32Array"; break;
      case napi_float64_array: kind = "Float64Array"; break;
      case napi_int32_array: kind = "Int32Array"; break;
      case napi_uint32_array: kind = "Uint32Array"; break;
      case napi_int8_array: kind = "Int8Array"; break;
      case napi_uint8_array: kind = "Uint8Array"; break;
      case napi_uint8_clamped_array: kind = "Uint8ClampedArray"; break;
      case napi_int16_array: kind = "Int16Array"; break;
      case napi_uint16_array: kind = "Uint16Array"; break;
      default: break;
    }
    return std::string(kind) + " of length " + std::to_string(t.ElementLength());
  }
  if (v.IsArray()) return "Array";
  if (v.IsNumber()) {
    std::ostringstream s;
    s << "number " << v.As<Napi::Number>().DoubleValue();
    return s.str();
  }
  if (v.IsString()) return "string";
  if (v.IsBoolean()) return "boolean";
  if (v.IsFunction()) return "function";
  if (v.IsObject()) return "object";
  return "a value of another type";
}

/** The typed array's buffer, checked to be a plain ArrayBuffer that is still attached. */
static void check_buffer(Napi::TypedArray t, const Text& name) {
  Napi::Env env = t.Env();
  napi_value buffer = nullptr;
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, t, &type, &length, &data, &buffer, &offset) != napi_ok || buffer == nullptr)
    throw_type(env, name + ": could not read the typed array");
  bool is_ab = false;
  napi_is_arraybuffer(env, buffer, &is_ab);
  if (!is_ab) throw_type(env, name + " must be backed by an ArrayBuffer, got a SharedArrayBuffer");
  bool detached = false;
  napi_is_detached_arraybuffer(env, buffer, &detached);
  if (detached) throw_type(env, name + " is backed by a detached ArrayBuffer");
}

F32 f32_arg(Napi::Value v, const Text& name, uint64_t length, const Text& shape) {
  Napi::Env env = v.Env();
  // Messages are built only on failure: most calls succeed, and this runs for every buffer.
  const auto message = [&] { return name + ": expected a Float32Array of length " + std::to_string(length) + " " + shape + ", got " + describe(v); };
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) throw_type(env, message());
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  check_buffer(t, name);
  if (t.ElementLength() != length) throw_range(env, message());
  Napi::Float32Array f = v.As<Napi::Float32Array>();
  return F32{length == 0 ? nullptr : f.Data(), length};
}

F32 f32_optional(Napi::Value v, const Text& name, uint64_t length, const Text& shape) {
  if (v.IsNull() || v.IsUndefined()) return F32{};
  F32 f = f32_arg(v, name, length, shape);
  if (f.data == nullptr) {
    // A present, empty array: keep it distinguishable from null with a non-null dummy.
    static float empty = 0.0f;
    f.data = &empty;
  }
  return f;
}

AnyFloat any_float_arg(Napi::Value v, const Text& name, uint64_t length, const Text& shape,
                       bool float64_only) {
  Napi::Env env = v.Env();
  const auto message = [&] {
    return name + ": expected " + (float64_only ? "a Float64Array" : "a Float32Array or Float64Array") + " of length " +
           std::to_string(length) + " " + shape + ", got " + describe(v);
  };
  const bool typed = v.IsTypedArray();
  const napi_typedarray_type type = typed ? v.As<Napi::TypedArray>().TypedArrayType() : napi_int8_array;
  if (!typed || !(type == napi_float64_array || (type == napi_float32_array && !float64_only))) throw_type(env, message());
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  check_buffer(t, name);
  if (t.ElementLength() != length) throw_range(env, message());
  AnyFloat out;
  out.length = length;
  if (length == 0) return out;
  if (type == napi_float64_array) out.f64 = v.As<Napi::Float64Array>().Data();
  else out.f32 = v.As<Napi::Float32Array>().Data();
  return out;
}

AnyFloat any_float_optional(Napi::Value v, const Text& name, uint64_t length, const Text& shape) {
  if (v.IsNull() || v.IsUndefined()) return AnyFloat{};
  return any_float_arg(v, name, length, shape);
}

void check_no_overlap_bytes(Napi::Env env, const void* a, size_t na, const void* b, size_t nb, const Text& what) {
  if (a == nullptr || b == nullptr || na == 0 || nb == 0) return;
  const uintptr_t a0 = reinterpret_cast<uintptr_t>(a), a1 = a0 + na;
  const uintptr_t b0 = reinterpret_cast<uintptr_t>(b), b1 = b0 + nb;
  if (a0 < b1 && b0 < a1) throw_range(env, what + " must not share memory");
}

const int32_t* i32_arg(Napi::Value v, const Text& name, uint64_t* length) {
  Napi::Env env = v.Env();
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, name + ": expected an Int32Array, got " + describe(v));
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  check_buffer(t, name);
  if (*length != UINT64_MAX && t.ElementLength() != *length)
    throw_range(env, name + ": expected an Int32Array of length " + std::to_string(*length) + ", got " + describe(v));
  *length = t.ElementLength();
  static int32_t empty = 0;
  return *length == 0 ? &empty : v.As<Napi::Int32Array>().Data();
}

int64_t dim_arg(Napi::Value v, const Text& name) {
  Napi::Env env = v.Env();
  if (!v.IsNumber()) throw_type(env, name + ": expected a non-negative integer, got " + describe(v));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d != std::floor(d) || d >= 2147483648.0)
    throw_range(env, name + ": expected an integer in [0, 2^31), got " + describe(v));
  return static_cast<int64_t>(d);
}

bool bool_arg(Napi::Value v, const Text& name) {
  if (!v.IsBoolean()) throw_type(v.Env(), name + ": expected a boolean, got " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

double number_arg(Napi::Value v, const Text& name) {
  if (!v.IsNumber()) throw_type(v.Env(), name + ": expected a number, got " + describe(v));
  return v.As<Napi::Number>().DoubleValue();
}

std::string string_arg(Napi::Value v, const Text& name) {
  if (!v.IsString()) throw_type(v.Env(), name + ": expected a string, got " + describe(v));
  return v.As<Napi::String>().Utf8Value();
}

Napi::Object object_arg(Napi::Value v, const Text& name) {
  if (!v.IsObject() || v.IsArray() || v.IsTypedArray() || v.IsFunction())
    throw_type(v.Env(), name + ": expected an object, got " + describe(v));
  return v.As<Napi::Object>();
}

void check_no_overlap(Napi::Env env, const float* a, size_t na, const float* b, size_t nb, const Text& what) {
  if (a == nullptr || b == nullptr || na == 0 || nb == 0) return;
  const uintptr_t a0 = reinterpret_cast<uintptr_t>(a), a1 = a0 + na * sizeof(float);
  const uintptr_t b0 = reinterpret_cast<uintptr_t>(b), b1 = b0 + nb * sizeof(float);
  if (a0 < b1 && b0 < a1) throw_range(env, what + " must not share memory");
}

}  // namespace recurrent
