#include "sequence_async.h"

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

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
  store.emplace_back(src, src + n);
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

/** Runs a kernel on the worker thread under compute_mutex(); "" on success, else the message
 *  the promise is rejected with (no C++ exception may leave Execute). */
template <typename Kernel>
std::string run_kernel(Kernel kernel) {
  try {
    std::lock_guard<std::mutex> lock(compute_mutex());
    kernel();
    return "";
  } catch (const std::bad_alloc&) {
    return "recurrent native: out of memory";
  } catch (const std::exception& e) {
    return std::string("recurrent native: ") + e.what();
  }
}

class ForwardWorker : public Napi::AsyncWorker {
 public:
  ForwardWorker(Napi::Env env, ParsedForward p)
      : Napi::AsyncWorker(env, "recurrent.sequenceForwardAsync"), deferred_(Napi::Promise::Deferred::New(env)), p_(std::move(p)) {
    SeqForward& f = p_.f;
    own_forward_inputs(inputs_, f);
    const bool lstm = f.cell.kind == CellKind::lstm;
    const size_t BH = static_cast<size_t>(f.d.B * f.d.H);
    Napi::Float32Array y = Napi::Float32Array::New(env, static_cast<size_t>(f.d.T) * BH);
    Napi::Float32Array h_n = Napi::Float32Array::New(env, BH);
    f.y = y.Data();
    f.h_n = h_n.Data();
    hold(y_, y);
    hold(h_n_, h_n);
    if (lstm) {
      Napi::Float32Array c_n = Napi::Float32Array::New(env, BH);
      f.c_n = c_n.Data();
      hold(c_n_, c_n);
    }
    if (p_.keep_cache) {
      Napi::Float32Array cache = Napi::Float32Array::New(env, p_.cache_floats);
      f.cache = cache.Data();
      hold(cache_, cache);
    }
  }
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const std::string error = run_kernel([&] { sequence_forward(p_.f); });
    if (!error.empty()) SetError(error);
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Value c_n = value(env, c_n_);
    Napi::Value cache = value(env, cache_);
    deferred_.Resolve(forward_result(env, p_, y_.Value().As<Napi::Float32Array>(), h_n_.Value().As<Napi::Float32Array>(),
                                     c_n, cache));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  ParsedForward p_;
  std::vector<std::vector<float>> inputs_;
  Napi::Reference<Napi::Value> y_, h_n_, c_n_, cache_;
};

class BackwardWorker : public Napi::AsyncWorker {
 public:
  BackwardWorker(Napi::Env env, ParsedBackward p)
      : Napi::AsyncWorker(env, "recurrent.sequenceBackwardAsync"), deferred_(Napi::Promise::Deferred::New(env)), p_(std::move(p)) {
    SeqForward& f = p_.fwd.f;
    p_.b.fwd = &f;  // p_ moved: point at our own copy
    own_forward_inputs(inputs_, f);
    const size_t TBH = static_cast<size_t>(f.d.T * f.d.B * f.d.H), BH = static_cast<size_t>(f.d.B * f.d.H);
    p_.b.cache = own(inputs_, p_.b.cache, p_.fwd.cache_floats);
    p_.b.dy = own(inputs_, p_.b.dy, TBH);
    p_.b.dh_n = own(inputs_, p_.b.dh_n, BH);
    p_.b.dc_n = own(inputs_, p_.b.dc_n, BH);
    BackwardOutputs o = allocate_grads(env, p_);
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
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const std::string error = run_kernel([&] { sequence_backward(p_.b); });
    if (!error.empty()) SetError(error);
  }
  void OnOK() override {
    Napi::Env env = Env();
    BackwardOutputs o{value(env, dx_),    value(env, dh0_),   value(env, dc0_),
                      value(env, dw_ih_), value(env, dw_hh_), value(env, db_ih_),
                      value(env, db_hh_), value(env, dw_peep_), value(env, dw_rec_)};
    deferred_.Resolve(grads_result(env, o));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
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
