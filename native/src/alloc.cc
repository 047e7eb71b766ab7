#include "alloc.h"

#include <string>

#include "env_state.h"
#include "failure.h"

namespace recurrent {
namespace {

template <typename T>
Napi::TypedArray construct(Napi::Env env, const Napi::FunctionReference& ctor, napi_typedarray_type type,
                           const char* type_name, size_t n, const Text& what) {
  const size_t element_size = sizeof(T);
  if (n * element_size < kGracefulBytes) return Napi::TypedArrayOf<T>::New(env, n);
  napi_value length = nullptr, result = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_create_double(env, static_cast<double>(n), &length), Napi::TypedArray());
  const napi_status status = napi_new_instance(env, ctor.Value(), 1, &length, &result);
  const auto array_text = [&] { return what + " (a " + type_name + " of " + std::to_string(n) + " elements)"; };
  if (status != napi_ok) {
    // V8's RangeError ("Array buffer allocation failed"); with no exception pending the
    // environment is stopping and cannot run JavaScript, which Error::New reports as it is.
    if (!env.IsExceptionPending()) throw Napi::Error::New(env);
    const Napi::Error cause = env.GetAndClearPendingException();
    throw_range(env, out_of_memory_message(n * element_size, array_text(), cause.Message()));
  }
  Napi::Value v(env, result);
  // The constructor is the environment's global one, which a script may have replaced before
  // loading the addon: the kernels write n elements, so take nothing else.
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type || v.As<Napi::TypedArray>().ElementLength() != n)
    throw_type(env, array_text() + ": globalThis." + type_name + " made " + describe(v) +
                        " (was it replaced before the addon loaded?)");
  return v.As<Napi::TypedArray>();
}

}  // namespace

Napi::Float32Array new_float32(Napi::Env env, size_t n, const Text& what) {
  return construct<float>(env, env_state(env).float32_array, napi_float32_array, "Float32Array", n, what)
      .As<Napi::Float32Array>();
}

Napi::Float64Array new_float64(Napi::Env env, size_t n, const Text& what) {
  return construct<double>(env, env_state(env).float64_array, napi_float64_array, "Float64Array", n, what)
      .As<Napi::Float64Array>();
}

}  // namespace recurrent
