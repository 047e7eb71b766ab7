// The addon's entry point: registers the exports of each concern, nothing else.
#include <napi.h>

#include "args.h"
#include "cpu_features.h"
#include "dense_binding.h"
#include "env_state.h"
#include "failure.h"
#include "esn_binding.h"
#include "kernels.h"
#include "sequence_binding.h"
#include "thread_pool.h"
#include "workspace.h"

namespace recurrent {
namespace {

/** The ISA level the kernels run at: 'avx512' | 'avx2' | 'scalar'. */
Napi::Value IsaInUse(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), isa_name(kernels().isa));
}

/** Levels this CPU can run, best first. */
Napi::Value AvailableIsas(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (int level = static_cast<int>(detect_isa()); level >= 0; --level)
    out.Set(n++, Napi::String::New(env, isa_name(static_cast<Isa>(level))));
  return out;
}

/** setIsa(name): switches the kernel table (tests run every level in one process). */
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = string_arg(info[0], "setIsa: isa");
  Isa isa;
  if (!parse_isa(name.c_str(), &isa)) throw_range(env, "setIsa: expected 'avx512', 'avx2' or 'scalar', got '" + name + "'");
  std::lock_guard<std::mutex> lock(compute_mutex());  // never under a running kernel
  if (!set_isa(isa)) throw_range(env, "setIsa: this CPU does not support " + name + " (best: " + isa_name(detect_isa()) + ")");
  return env.Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), pool_size()); }

/** setThreads(n): the pool size, 1 … 256 (1 = the calling thread only). */
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = dim_arg(info[0], "setThreads: n");
  if (n < 1 || n > 256) throw_range(env, "setThreads: n must be in [1, 256], got " + std::to_string(n));
  std::lock_guard<std::mutex> lock(compute_mutex());
  set_pool_size(static_cast<int>(n));
  return env.Undefined();
}

/** Runs once per environment (the main thread, each worker thread that loads the addon). */
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  try {
    init_env_state(env);  // first: the bindings allocate through it
    register_dense_ops(env, exports);
    register_sequence(env, exports);
    register_esn(env, exports);
    exports.Set("isa", Napi::Function::New(env, guarded<IsaInUse>, "isa"));
    exports.Set("availableIsas", Napi::Function::New(env, guarded<AvailableIsas>, "availableIsas"));
    exports.Set("setIsa", Napi::Function::New(env, guarded<SetIsa>, "setIsa"));
    exports.Set("threads", Napi::Function::New(env, guarded<Threads>, "threads"));
    exports.Set("setThreads", Napi::Function::New(env, guarded<SetThreads>, "setThreads"));
    exports.Set("defaultThreads", Napi::Number::New(env, hardware_threads()));
  } catch (...) {
    throw_current_to_js(env);  // e.g. the worker loading it is terminated meanwhile
  }
  return exports;
}

}  // namespace
}  // namespace recurrent

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return recurrent::Init(env, exports); }

NODE_API_MODULE(recurrent_native, InitAddon)
