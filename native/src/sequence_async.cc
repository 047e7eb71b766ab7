#include "sequence_async.h"

#include <cstring>
#include <new>
#include <mutex>
#include <string>
#include <vector>

#include "env_state.h"
#include "failure.h"
#include "sequence.h"
#include "sequence_args.h"
#include "workspace.h"

namespace recurrent {
namespace {

// ---- asynchronous variants -------------------------------------------------------------------
// Inputs are copied into the worker (JavaScript may change or detach its buffers while the work
// runs); outputs are JS arrays allocated up front and held by references, invisible to JS until
// the promise resolves, so the kernels write them in place.

/** Copies n floats of `src` into owned storage and returns the copy (nullptr stays nullptr). */
const float* own(std::vector<std::vector<float>>& store, const float* src, size_t n) {
  if (src == nullptr) return nullptr;
  try {
    store.emplace_back(src, src + n);
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(n * sizeof(float), "a copy of an input for the worker thread");
  }
  return store.back().data();
}

void own_forward_inputs(std::vector<std::vector<float>>& store, SeqForward& f) {
  const size_t T = f.d.T, B = f.d.B, I = f.d.I, H = f.d.H, GH = static_cast<size_t>(gate_count(f.cell)) * H;
  f.x = own(store, f.x, T * B * I);
  f.w.w_ih = own(store, f.w.w_ih, GH * I);
  f.w.w_hh = own(store, f.w.w_hh, GH * H);
  f.w.b_ih = own(store, f.w.b_ih, GH);
  f.w.b_hh = own(store, f.w.b_hh, GH);
  f.w.w_peep = own(store, f.w.w_peep, 3 * H);
  f.w.w_gate_rec = own(store, f.w.w_gate_rec, 9 * H * H);
  f.h0 = own(store, f.h0, B * H);
  f.c0 = own(store, f.c0, B * H);
}

/** Keeps an output array alive while the worker runs (null outputs need no reference). */
void hold(Napi::Reference<Napi::Value>& ref, Napi::Value v) {
  if (!v.IsNull()) ref = Napi::Persistent(v);
}
Napi::Value value(Napi::Env env, Napi::Reference<Napi::Value>& ref) { return ref.IsEmpty() ? env.Null() : ref.Value(); }

/**
 * What both workers share: Execute runs the kernel under compute_mutex() and keeps a C++
 * failure as the error it becomes (a RangeError naming the size when memory ran out);
 * OnOK / OnError settle the promise. No C++ exception may leave OnOK / OnError: libuv calls
 * them, and an exception there ends the process (std::terminate). They also run while an
 * environment is torn down (a worker terminated during the kernel: Node waits for the work,
 * then completes it with JavaScript disabled), when every call into JavaScript fails.
 */
class KernelWorker : public Napi::AsyncWorker {
 public:
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  KernelWorker(Napi::Env env, const char* name) : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}
  /** The kernel, on the worker thread. */
  virtual void run() = 0;
  /** The promise's value, on the main thread once run() succeeded. */
  virtual Napi::Value result() = 0;

 private:
  void Execute() override {
    try {
      std::lock_guard<std::mutex> lock(compute_mutex());
      run();
      return;
    } catch (const std::exception& e) {
      failure_ = failure_of(e);
    }
    SetError(failure_.message);  // OnError follows
  }
  void OnOK() override {
    settle([&] { deferred_.Resolve(result()); });
  }
  void OnError(const Napi::Error&) override {
    settle([&] { deferred_.Reject(js_error(Env(), failure_).Value()); });
  }
  template <typename Settle>
  void settle(Settle settle_promise) {
    if (env_state(Env()).stopping) return;  // nothing can observe the promise any more
    try {
      settle_promise();
    } catch (const Napi::Error& e) {
      // A Node-API call failed: JavaScript is disabled (the environment stops before our cleanup
      // hook has run), or building the result failed. Reject when that is still possible.
      try {
        deferred_.Reject(e.Value());
      } catch (const Napi::Error&) {
        // Disabled: the environment goes away with its promise.
      }
    }
  }

  Napi::Promise::Deferred deferred_;
  Failure failure_;
};

class ForwardWorker : public KernelWorker {
 public:
  ForwardWorker(Napi::Env env, ParsedForward p) : KernelWorker(env, "recurrent.sequenceForwardAsync"), p_(std::move(p)) {
    own_forward_inputs(inputs_, p_.f);
    const ForwardOutputs o = allocate_outputs(env, p_, "sequenceForwardAsync");
    hold(y_, o.y);
    hold(h_n_, o.h_n);
    hold(c_n_, o.c_n);
    hold(cache_, o.cache);
  }

 protected:
  void run() override { sequence_forward(p_.f); }
  Napi::Value result() override {
    Napi::Env env = Env();
    return forward_result(env, p_, y_.Value().As<Napi::Float32Array>(), h_n_.Value().As<Napi::Float32Array>(),
                          value(env, c_n_), value(env, cache_));
  }

 private:
  ParsedForward p_;
  std::vector<std::vector<float>> inputs_;
  Napi::Reference<Napi::Value> y_, h_n_, c_n_, cache_;
};

class BackwardWorker : public KernelWorker {
 public:
  BackwardWorker(Napi::Env env, ParsedBackward p) : KernelWorker(env, "recurrent.sequenceBackwardAsync"), p_(std::move(p)) {
    SeqForward& f = p_.fwd.f;
    p_.b.fwd = &f;  // p_ moved: point at our own copy
    own_forward_inputs(inputs_, f);
    const size_t TBH = static_cast<size_t>(f.d.T * f.d.B * f.d.H), BH = static_cast<size_t>(f.d.B * f.d.H);
    p_.b.cache = own(inputs_, p_.b.cache, p_.fwd.cache_floats);
    p_.b.dy = own(inputs_, p_.b.dy, TBH);
    p_.b.dh_n = own(inputs_, p_.b.dh_n, BH);
    p_.b.dc_n = own(inputs_, p_.b.dc_n, BH);
    BackwardOutputs o = allocate_grads(env, p_, "sequenceBackwardAsync");
    hold(dx_, o.dx);
    hold(dh0_, o.dh0);
    hold(dc0_, o.dc0);
    hold(dw_ih_, o.dw_ih);
    hold(dw_hh_, o.dw_hh);
    hold(db_ih_, o.db_ih);
    hold(db_hh_, o.db_hh);
    hold(dw_peep_, o.dw_peep);
    hold(dw_rec_, o.dw_rec);
  }

 protected:
  void run() override { sequence_backward(p_.b); }
  Napi::Value result() override {
    Napi::Env env = Env();
    BackwardOutputs o{value(env, dx_),    value(env, dh0_),   value(env, dc0_),
                      value(env, dw_ih_), value(env, dw_hh_), value(env, db_ih_),
                      value(env, db_hh_), value(env, dw_peep_), value(env, dw_rec_)};
    return grads_result(env, o);
  }

 private:
  ParsedBackward p_;
  std::vector<std::vector<float>> inputs_;
  Napi::Reference<Napi::Value> dx_, dh0_, dc0_, dw_ih_, dw_hh_, db_ih_, db_hh_, dw_peep_, dw_rec_;
};

}  // namespace

Napi::Value SequenceForwardAsync(const Napi::CallbackInfo& info) {
  ParsedForward p = parse_forward(info[0], "sequenceForwardAsync");
  auto* worker = new ForwardWorker(info.Env(), std::move(p));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Value SequenceBackwardAsync(const Napi::CallbackInfo& info) {
  ParsedBackward p = parse_backward(info[0], "sequenceBackwardAsync");
  auto* worker = new BackwardWorker(info.Env(), std::move(p));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace recurrent
