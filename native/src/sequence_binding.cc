#include "sequence_binding.h"

#include <mutex>

#include "args.h"
#include "sequence.h"
#include "sequence_args.h"
#include "sequence_async.h"
#include "workspace.h"

namespace recurrent {
namespace {

Napi::Value SequenceForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedForward p = parse_forward(info[0], "sequenceForward");
  const ForwardOutputs o = allocate_outputs(env, p, "sequenceForward");
  {
    std::lock_guard<std::mutex> lock(compute_mutex());
    sequence_forward(p.f);
  }
  return forward_result(env, p, o.y, o.h_n, o.c_n, o.cache);
}

Napi::Value SequenceBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedBackward p = parse_backward(info[0], "sequenceBackward");
  p.b.fwd = &p.fwd.f;
  BackwardOutputs o = allocate_grads(env, p, "sequenceBackward");
  {
    std::lock_guard<std::mutex> lock(compute_mutex());
    sequence_backward(p.b);
  }
  return grads_result(env, o);
}

}  // namespace

void register_sequence(Napi::Env env, Napi::Object exports) {
  exports.Set("sequenceForward", Napi::Function::New(env, guarded<SequenceForward>, "sequenceForward"));
  exports.Set("sequenceBackward", Napi::Function::New(env, guarded<SequenceBackward>, "sequenceBackward"));
  exports.Set("sequenceForwardAsync", Napi::Function::New(env, guarded<SequenceForwardAsync>, "sequenceForwardAsync"));
  exports.Set("sequenceBackwardAsync", Napi::Function::New(env, guarded<SequenceBackwardAsync>, "sequenceBackwardAsync"));
}

}  // namespace recurrent
