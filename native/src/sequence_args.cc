#include "sequence_args.h"

#include <string>

#include "alloc.h"
#include "args.h"

// The cache a forward returns to JavaScript is a plain object
//   { backend: 'native', key: string, data: Float32Array }
// whose data holds the layout of the cell's file (rnn_cell.cc, lstm_cell.cc, …). Plain typed
// arrays keep the memory visible to V8's GC accounting and need no finalizer; the key (cell,
// T, B, I, H, direction) lets the backward refuse a cache made by another call shape, and the
// data length is checked, so a forged cache can give wrong gradients but never a bad read.

namespace recurrent {
namespace {

const char* const kLstmFlags[] = {"peephole",     "coupled",           "noInputGate",        "noForgetGate",
                                  "noOutputGate", "noInputActivation", "noOutputActivation", "fullGateRecurrence"};
const char* const kLstmFlagNames[] = {": cell.variant.peephole",          ": cell.variant.coupled",
                                      ": cell.variant.noInputGate",       ": cell.variant.noForgetGate",
                                      ": cell.variant.noOutputGate",      ": cell.variant.noInputActivation",
                                      ": cell.variant.noOutputActivation", ": cell.variant.fullGateRecurrence"};

/** Every JavaScript value of a forward-args object, read before any buffer is validated: a
 *  getter could otherwise run code that detaches a buffer already checked. */
struct ForwardValues {
  Napi::Value T, B, I, H, kind, activation, reset_after, flags[8], x, w_ih, w_hh, b_ih, b_hh, w_peep, w_rec, h0,
      c0, reverse, keep_cache;
};

ForwardValues read_forward(Napi::Value v, const std::string& where) {
  Napi::Object a = object_arg(v, Text(where, ": args"));
  ForwardValues r;
  r.T = a.Get("T");
  r.B = a.Get("B");
  r.I = a.Get("I");
  r.H = a.Get("H");
  Napi::Object cell = object_arg(a.Get("cell"), Text(where, ": cell"));
  r.kind = cell.Get("kind");
  r.activation = cell.Get("activation");
  r.reset_after = cell.Get("resetAfter");
  Napi::Value variant = cell.Get("variant");
  if (r.kind.IsString() && r.kind.As<Napi::String>().Utf8Value() == "lstm") {
    Napi::Object vo = object_arg(variant, Text(where, ": cell.variant"));
    for (int i = 0; i < 8; ++i) r.flags[i] = vo.Get(kLstmFlags[i]);
  }
  r.x = a.Get("x");
  Napi::Object w = object_arg(a.Get("weights"), Text(where, ": weights"));
  r.w_ih = w.Get("wIh");
  r.w_hh = w.Get("wHh");
  r.b_ih = w.Get("bIh");
  r.b_hh = w.Get("bHh");
  r.w_peep = w.Get("wPeep");
  r.w_rec = w.Get("wGateRec");
  r.h0 = a.Get("h0");
  r.c0 = a.Get("c0");
  r.reverse = a.Get("reverse");
  r.keep_cache = a.Get("keepCache");
  return r;
}

int64_t positive_dim(Napi::Value v, const Text& name) {
  const int64_t d = dim_arg(v, name);
  if (d == 0) throw_range(v.Env(), name + ": expected a positive integer, got 0");
  return d;
}

void require_null(Napi::Value v, const Text& name, const std::string& why) {
  if (!v.IsNull() && !v.IsUndefined()) throw_type(v.Env(), name + " must be null (" + why + "), got " + describe(v));
}

Napi::Value f32_or_null(Napi::Env env, bool present, size_t n, float** data, const std::string& where, const char* name) {
  if (!present) {
    *data = nullptr;
    return env.Null();
  }
  Napi::Float32Array a = new_float32(env, n, Text(where, name));
  *data = a.Data();
  return a;
}

}  // namespace

ParsedForward parse_forward(Napi::Value args, const std::string& where) {
  Napi::Env env = args.Env();
  const ForwardValues v = read_forward(args, where);
  ParsedForward p;
  SeqForward& f = p.f;
  SeqDims& d = f.d;
  d.T = positive_dim(v.T, Text(where, ": T"));
  d.B = positive_dim(v.B, Text(where, ": B"));
  d.I = positive_dim(v.I, Text(where, ": I"));
  d.H = positive_dim(v.H, Text(where, ": H"));
  CellSpec& cell = f.cell;
  const std::string kind = string_arg(v.kind, Text(where, ": cell.kind"));
  std::string key;
  if (kind == "rnn") {
    cell.kind = CellKind::rnn;
    const std::string act = string_arg(v.activation, Text(where, ": cell.activation"));
    if (act == "tanh") cell.activation = RnnActivation::tanh;
    else if (act == "relu") cell.activation = RnnActivation::relu;
    else if (act == "sigmoid") cell.activation = RnnActivation::sigmoid;
    else throw_range(env, where + ": cell.activation must be one of 'tanh', 'relu', 'sigmoid', got '" + act + "'");
    key = "rnn:" + act;
  } else if (kind == "lstm") {
    cell.kind = CellKind::lstm;
    bool flag[8];
    key = "lstm:";
    for (int i = 0; i < 8; ++i) {
      flag[i] = bool_arg(v.flags[i], Text(where, kLstmFlagNames[i]));
      if (flag[i]) key += std::string(key.back() == ':' ? "" : "+") + kLstmFlags[i];
    }
    LstmVariant& lv = cell.variant;
    lv.peephole = flag[0];
    lv.coupled = flag[1];
    lv.no_input_gate = flag[2];
    lv.no_forget_gate = flag[3];
    lv.no_output_gate = flag[4];
    lv.no_input_activation = flag[5];
    lv.no_output_activation = flag[6];
    lv.full_gate_recurrence = flag[7];
    if (lv.coupled && (lv.no_input_gate || lv.no_forget_gate))
      throw_range(env, where + ": cell.variant.coupled (f = 1 − i) cannot be combined with " +
                           (lv.no_input_gate ? "noInputGate" : "noForgetGate") + "; expected at most one of them");
  } else if (kind == "gru") {
    cell.kind = CellKind::gru;
    cell.reset_after = bool_arg(v.reset_after, Text(where, ": cell.resetAfter"));
    key = cell.reset_after ? "gru:resetAfter" : "gru:resetBefore";
  } else if (kind == "mgu") {
    cell.kind = CellKind::mgu;
    key = "mgu";
  } else {
    throw_range(env, where + ": cell.kind must be one of 'rnn', 'lstm', 'gru', 'mgu', got '" + kind + "'");
  }
  f.reverse = bool_arg(v.reverse, Text(where, ": reverse"));
  p.keep_cache = bool_arg(v.keep_cache, Text(where, ": keepCache"));

  const int64_t G = gate_count(cell), T = d.T, B = d.B, I = d.I, H = d.H;
  const std::string dims = " with T=" + std::to_string(T) + ", B=" + std::to_string(B) + ", I=" + std::to_string(I) +
                           ", H=" + std::to_string(H) + ", G=" + std::to_string(G);
  const uint64_t GH = checked_mul(env, G, H, Text(where, ": G*H"));
  const uint64_t TB = checked_mul(env, T, B, Text(where, ": T*B"));
  const uint64_t n_x = checked_mul(env, TB, I, Text(where, ": x"));
  const uint64_t n_wih = checked_mul(env, GH, I, Text(where, ": weights.wIh"));
  const uint64_t n_whh = checked_mul(env, GH, H, Text(where, ": weights.wHh"));
  const uint64_t n_bh = checked_mul(env, B, H, Text(where, ": h0"));
  checked_mul(env, TB, GH, Text(where, ": the gate buffer [T, B, G*H]"));
  // The cache holds at most 7 [T, B, H] blocks (LSTM); check that bound before any allocation.
  checked_mul(env, checked_mul(env, TB, H, Text(where, ": y")), 7, Text(where, ": the cache"));
  f.x = f32_arg(v.x, Text(where, ": x"), n_x, Text("[T, B, I]", dims)).data;
  f.w.w_ih = f32_arg(v.w_ih, Text(where, ": weights.wIh"), n_wih, Text("[G*H, I]", dims)).data;
  f.w.w_hh = f32_arg(v.w_hh, Text(where, ": weights.wHh"), n_whh, Text("[G*H, H]", dims)).data;
  f.w.b_ih = f32_optional(v.b_ih, Text(where, ": weights.bIh"), GH, Text("[G*H] or null", dims)).data;
  f.w.b_hh = f32_optional(v.b_hh, Text(where, ": weights.bHh"), GH, Text("[G*H] or null", dims)).data;
  const bool lstm = cell.kind == CellKind::lstm;
  if (lstm && cell.variant.peephole)
    f.w.w_peep = f32_arg(v.w_peep, Text(where, ": weights.wPeep"), checked_mul(env, 3, H, "wPeep"), "[3, H] (peephole)").data;
  else require_null(v.w_peep, Text(where, ": weights.wPeep"), "the cell has no peepholes");
  if (lstm && cell.variant.full_gate_recurrence) {
    const uint64_t h3 = checked_mul(env, 3, H, "3H");
    f.w.w_gate_rec = f32_arg(v.w_rec, Text(where, ": weights.wGateRec"), checked_mul(env, h3, h3, Text(where, ": weights.wGateRec")),
                             "[3H, 3H] (fullGateRecurrence)").data;
  } else {
    require_null(v.w_rec, Text(where, ": weights.wGateRec"), "the cell has no full gate recurrence");
  }
  f.h0 = f32_arg(v.h0, Text(where, ": h0"), n_bh, Text("[B, H]", dims)).data;
  if (lstm) f.c0 = f32_arg(v.c0, Text(where, ": c0"), n_bh, Text("[B, H] (lstm)", dims)).data;
  else require_null(v.c0, Text(where, ": c0"), "a " + kind + " cell has no cell state");
  p.cache_floats = cache_size(cell, d);
  p.key = key + "|T=" + std::to_string(T) + ",B=" + std::to_string(B) + ",I=" + std::to_string(I) +
          ",H=" + std::to_string(H) + (f.reverse ? ",reverse" : "");
  return p;
}

ForwardOutputs allocate_outputs(Napi::Env env, ParsedForward& p, const std::string& where) {
  SeqForward& f = p.f;
  const bool lstm = f.cell.kind == CellKind::lstm;
  const size_t BH = static_cast<size_t>(f.d.B * f.d.H);
  ForwardOutputs o;
  o.y = new_float32(env, static_cast<size_t>(f.d.T) * BH, Text(where, ": y"));
  o.h_n = new_float32(env, BH, Text(where, ": hN"));
  f.y = o.y.Data();
  f.h_n = o.h_n.Data();
  o.c_n = f32_or_null(env, lstm, BH, &f.c_n, where, ": cN");
  o.cache = f32_or_null(env, p.keep_cache, p.cache_floats, &f.cache, where, ": cache.data");
  return o;
}

Napi::Object forward_result(Napi::Env env, const ParsedForward& p, Napi::Float32Array y, Napi::Float32Array h_n,
                            Napi::Value c_n, Napi::Value cache_data) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("y", y);
  out.Set("hN", h_n);
  out.Set("cN", c_n);
  if (p.keep_cache) {
    Napi::Object cache = Napi::Object::New(env);
    cache.Set("backend", Napi::String::New(env, "native"));
    cache.Set("key", Napi::String::New(env, p.key));
    cache.Set("data", cache_data);
    out.Set("cache", cache);
  } else {
    out.Set("cache", env.Null());
  }
  return out;
}

ParsedBackward parse_backward(Napi::Value args, const std::string& where) {
  Napi::Env env = args.Env();
  Napi::Object a = object_arg(args, Text(where, ": args"));
  const Napi::Value v_forward = a.Get("forward"), v_cache = a.Get("cache"), v_dy = a.Get("dy"), v_dhn = a.Get("dhN"),
                    v_dcn = a.Get("dcN");
  Napi::Object cache = object_arg(v_cache, Text(where, ": cache"));
  const Napi::Value v_backend = cache.Get("backend"), v_key = cache.Get("key"), v_data = cache.Get("data");
  ParsedBackward p;  // p.b.fwd is set by the caller once p has its final address
  // parse_forward reads the forward object's properties, then validates its buffers; no JS runs
  // after that (the values below were read already and are only inspected).
  p.fwd = parse_forward(v_forward, where + " (forward args)");
  const SeqForward& f = p.fwd.f;
  if (!v_backend.IsString() || v_backend.As<Napi::String>().Utf8Value() != "native")
    throw_type(env, where + ": cache must come from the native backend's sequenceForward with keepCache: true, got backend " +
                        describe(v_backend));
  const std::string key = string_arg(v_key, Text(where, ": cache.key"));
  if (key != p.fwd.key)
    throw_range(env, where + ": cache was made for " + key + ", expected " + p.fwd.key);
  SeqBackward& b = p.b;
  b.cache = f32_arg(v_data, Text(where, ": cache.data"), p.fwd.cache_floats, "(the forward's cache)").data;
  const int64_t T = f.d.T, B = f.d.B, H = f.d.H;
  const std::string dims = " with T=" + std::to_string(T) + ", B=" + std::to_string(B) + ", H=" + std::to_string(H);
  b.dy = f32_optional(v_dy, Text(where, ": dy"), static_cast<uint64_t>(T * B * H), Text("[T, B, H] or null", dims)).data;
  b.dh_n = f32_optional(v_dhn, Text(where, ": dhN"), static_cast<uint64_t>(B * H), Text("[B, H] or null", dims)).data;
  if (f.cell.kind == CellKind::lstm)
    b.dc_n = f32_optional(v_dcn, Text(where, ": dcN"), static_cast<uint64_t>(B * H), Text("[B, H] or null", dims)).data;
  else require_null(v_dcn, Text(where, ": dcN"), "the cell has no cell state");
  const int64_t GH = gate_count(f.cell) * H;
  p.has_b_ih = f.w.b_ih != nullptr;
  p.has_b_hh = f.w.b_hh != nullptr;
  p.n_dx = static_cast<size_t>(T * B * f.d.I);
  p.n_wih = static_cast<size_t>(GH * f.d.I);
  p.n_whh = static_cast<size_t>(GH * H);
  p.n_gh = static_cast<size_t>(GH);
  p.n_bh = static_cast<size_t>(B * H);
  return p;
}

BackwardOutputs allocate_grads(Napi::Env env, ParsedBackward& p, const std::string& where) {
  const SeqForward& f = p.fwd.f;
  SeqBackward& b = p.b;
  const bool lstm = f.cell.kind == CellKind::lstm;
  const size_t H = static_cast<size_t>(f.d.H);
  BackwardOutputs o;
  o.dx = f32_or_null(env, true, p.n_dx, &b.dx, where, ": dx");
  o.dh0 = f32_or_null(env, true, p.n_bh, &b.dh0, where, ": dh0");
  o.dc0 = f32_or_null(env, lstm, p.n_bh, &b.dc0, where, ": dc0");
  o.dw_ih = f32_or_null(env, true, p.n_wih, &b.dw_ih, where, ": dWIh");
  o.dw_hh = f32_or_null(env, true, p.n_whh, &b.dw_hh, where, ": dWHh");
  o.db_ih = f32_or_null(env, p.has_b_ih, p.n_gh, &b.db_ih, where, ": dBIh");
  o.db_hh = f32_or_null(env, p.has_b_hh, p.n_gh, &b.db_hh, where, ": dBHh");
  o.dw_peep = f32_or_null(env, lstm && f.cell.variant.peephole, 3 * H, &b.dw_peep, where, ": dWPeep");
  o.dw_rec = f32_or_null(env, lstm && f.cell.variant.full_gate_recurrence, 9 * H * H, &b.dw_gate_rec, where, ": dWGateRec");
  return o;
}

Napi::Object grads_result(Napi::Env env, const BackwardOutputs& o) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("dx", o.dx);
  out.Set("dh0", o.dh0);
  out.Set("dc0", o.dc0);
  out.Set("dWIh", o.dw_ih);
  out.Set("dWHh", o.dw_hh);
  out.Set("dBIh", o.db_ih);
  out.Set("dBHh", o.db_hh);
  out.Set("dWPeep", o.dw_peep);
  out.Set("dWGateRec", o.dw_rec);
  return out;
}

}  // namespace recurrent
