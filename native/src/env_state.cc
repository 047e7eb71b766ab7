#include "env_state.h"

namespace recurrent {

void init_env_state(Napi::Env env) {
  auto* state = new EnvState();
  Napi::Object global = env.Global();
  state->float32_array = Napi::Persistent(global.Get("Float32Array").As<Napi::Function>());
  state->float64_array = Napi::Persistent(global.Get("Float64Array").As<Napi::Function>());
  // Instance data is freed when Node-API's own per-environment record goes; that record's
  // cleanup hook was added before this one, and hooks run newest first, so `state` is still
  // alive when this hook runs.
  env.SetInstanceData(state);
  const napi_status status = napi_add_env_cleanup_hook(
      env, [](void* arg) { static_cast<EnvState*>(arg)->stopping = true; }, state);
  NAPI_THROW_IF_FAILED_VOID(env, status);
}

EnvState& env_state(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace recurrent
