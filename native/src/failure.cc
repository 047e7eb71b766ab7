#include "failure.h"

namespace recurrent {

std::string out_of_memory_message(size_t bytes, const std::string& what, const std::string& cause) {
  return what + ": could not allocate " + std::to_string(bytes) + " bytes (" + cause + ")";
}

Failure failure_of(const std::exception& e) {
  if (dynamic_cast<const OutOfMemory*>(&e) != nullptr) return Failure{true, e.what()};
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return Failure{true, "out of memory"};  // size unknown
  return Failure{false, e.what()};
}

Napi::Error js_error(Napi::Env env, const Failure& f) {
  const std::string message = "recurrent native: " + f.message;
  if (f.range) return Napi::RangeError::New(env, message);
  return Napi::Error::New(env, message);
}

namespace {

/** napi_throw unless an exception is pending already; a failure means JavaScript is disabled. */
void raise(Napi::Env env, napi_value error) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && !pending) napi_throw(env, error);
}

}  // namespace

void throw_current_to_js(Napi::Env env) noexcept {
  try {
    try {
      throw;
    } catch (const Napi::Error& e) {
      raise(env, e.Value());
    } catch (const std::exception& e) {
      raise(env, js_error(env, failure_of(e)).Value());
    } catch (...) {
      raise(env, Napi::Error::New(env, "recurrent native: an unknown C++ exception").Value());
    }
  } catch (...) {
    // Not even the error object could be made: the environment is stopping.
  }
}

}  // namespace recurrent
