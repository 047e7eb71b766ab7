// How a C++ failure reaches JavaScript, in one place for the synchronous bindings (guarded) and
// the asynchronous workers (their rejection): running out of memory is a RangeError naming the
// size when it is known, any other C++ exception an Error; nothing aborts the process.
#pragma once

#include <napi.h>

#include <cstddef>
#include <new>
#include <stdexcept>
#include <string>

namespace recurrent {

/** "<what>: could not allocate <bytes> bytes (<cause>)", the message of every allocation failure. */
std::string out_of_memory_message(size_t bytes, const std::string& what, const std::string& cause = "out of memory");

/** A std::bad_alloc that knows what could not be allocated (workspace buffers, input copies). */
class OutOfMemory : public std::bad_alloc {
 public:
  OutOfMemory(size_t bytes, const char* what) : message_(out_of_memory_message(bytes, what)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/** A C++ exception as the JavaScript error it becomes; `message` empty means no failure. */
struct Failure {
  bool range = false;  // RangeError (out of memory) or Error
  std::string message;
};

/** The Failure of a caught exception. */
Failure failure_of(const std::exception& e);

/** The JavaScript error of a failure. */
Napi::Error js_error(Napi::Env env, const Failure& f);

/**
 * Called in a catch block of an entry point (a binding, Init): throws the exception being
 * handled into JavaScript as the error it becomes. node-addon-api would rethrow it with
 * napi_throw and, when that fails, throw a C++ exception out of the callback, which ends the
 * process (std::terminate); napi_throw fails while a worker thread is terminated mid-call,
 * when nothing can observe the error anyway, so then the error is dropped.
 */
void throw_current_to_js(Napi::Env env) noexcept;

/** Wraps a binding so C++ failures (out of memory, …) reach JavaScript as errors, never abort. */
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (...) {
    throw_current_to_js(info.Env());
    return Napi::Value();
  }
}

}  // namespace recurrent
