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
  SeqForward& f = p.f;
  const bool lstm = f.cell.kind == CellKind::lstm;
  const size_t BH = static_cast<size_t>(f.d.B * f.d.H);
  Napi::Float32Array y = Napi::Float32Array::New(env, static_cast<size_t>(f.d.T) * BH);
  Napi::Float32Array h_n = Napi::Float32Array::New(env, BH);
  Napi::Value c_n = lstm ? Napi::Value(Napi::Float32Array::New(env, BH)) : env.Null();
  Napi::Value cache = p.keep_cache ? Napi::Value(Napi::Float32Array::New(env, p.cache_floats)) : env.Null();
  f.y = y.Data();
  f.h_n = h_n.Data();
  f.c_n = lstm ? c_n.As<Napi::Float32Array>().Data() : nullptr;
  f.cache = p.keep_cache ? cache.As<Napi::Float32Array>().Data() : nullptr;
  {
    std::lock_guard<std::mutex> lock(compute_mutex());
    sequence_forward(f);
  }
  return forward_result(env, p, y, h_n, c_n, cache);
}

Napi::Value SequenceBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedBackward p = parse_backward(info[0], "sequenceBackward");
  p.b.fwd = &p.fwd.f;
  BackwardOutputs o = allocate_grads(env, p);
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
