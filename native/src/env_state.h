// What the addon keeps per Node.js environment. The shared library is loaded once per process,
// but Init runs once per environment (the main thread and each worker thread), so anything that
// holds a JavaScript value lives here, never in a static; the kernels' own state (thread pool,
// workspace, kernel table) is per process and holds no JavaScript values.
#pragma once

#include <napi.h>

namespace recurrent {

struct EnvState {
  /** This environment's typed-array constructors, which allocate outputs (alloc.cc). */
  Napi::FunctionReference float32_array, float64_array;
  /** Set by the environment's cleanup hook: it is being torn down (a worker terminated, or
   *  the process exits), and asynchronous work that completes now must not call into JS. */
  bool stopping = false;
};

/** Creates the state of `env` (freed with the environment); called first by Init. */
void init_env_state(Napi::Env env);

/** The state of `env`; init_env_state must have run in it. */
EnvState& env_state(Napi::Env env);

}  // namespace recurrent
