// Reads and validates the arguments of the ESN kernels (the objects of packages/esn's
// HarvestArgs / GramArgs with the CSR matrix flattened), then runs them under compute_mutex().
#include "esn_binding.h"

#include <cmath>
#include <mutex>
#include <vector>

#include "alloc.h"
#include "args.h"
#include "esn.h"
#include "esn_cholesky.h"
#include "workspace.h"

namespace recurrent {
namespace {

FloatView view(const AnyFloat& a) { return FloatView{a.f32, a.f64}; }

void check_args_object(const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() < 1) throw_type(info.Env(), std::string(fn) + ": expected 1 argument (an object), got 0");
}

EsnActivation activation_arg(Napi::Value v) {
  const std::string name = string_arg(v, "esnHarvest: activation");
  if (name == "tanh") return EsnActivation::tanh;
  if (name == "sigmoid") return EsnActivation::sigmoid;
  if (name == "relu") return EsnActivation::relu;
  if (name == "identity") return EsnActivation::identity;
  throw_range(v.Env(), "esnHarvest: activation must be one of tanh, sigmoid, relu, identity, got '" + name + "'");
}

Napi::Value Harvest(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_args_object(info, "esnHarvest");
  Napi::Object a = object_arg(info[0], "esnHarvest: args");
  // Every property is read before any buffer is checked: a getter could detach a checked buffer.
  const Napi::Value vT = a.Get("steps"), vN = a.Get("units"), vRowStart = a.Get("rowStart"), vCol = a.Get("colIndex"),
                    vValues = a.Get("values"), vI = a.Get("inputWidth"), vInputs = a.Get("inputs"), vWin = a.Get("Win"),
                    vBias = a.Get("bias"), vO = a.Get("feedbackWidth"), vFeedback = a.Get("feedback"), vWfb = a.Get("Wfb"),
                    vNoise = a.Get("noise"), vLeak = a.Get("leakRate"), vAct = a.Get("activation"), vState = a.Get("state"),
                    vStates = a.Get("states");
  const int64_t T = dim_arg(vT, "esnHarvest: steps"), N = dim_arg(vN, "esnHarvest: units");
  const int64_t I = dim_arg(vI, "esnHarvest: inputWidth"), O = dim_arg(vO, "esnHarvest: feedbackWidth");
  const double leak = number_arg(vLeak, "esnHarvest: leakRate");
  if (!(leak > 0 && leak <= 1)) throw_range(env, "esnHarvest: leakRate must be in (0, 1], got " + describe(vLeak));
  const EsnActivation act = activation_arg(vAct);

  uint64_t rows_plus_one = static_cast<uint64_t>(N) + 1, nnz = UINT64_MAX;
  const int32_t* row_start = i32_arg(vRowStart, "esnHarvest: rowStart [units + 1]", &rows_plus_one);
  const int32_t* col_index = i32_arg(vCol, "esnHarvest: colIndex [nnz]", &nnz);
  if (row_start[0] != 0) throw_range(env, "esnHarvest: rowStart[0] must be 0, got " + std::to_string(row_start[0]));
  for (int64_t i = 0; i < N; ++i)
    if (row_start[i + 1] < row_start[i])
      throw_range(env, "esnHarvest: rowStart must be non-decreasing, got rowStart[" + std::to_string(i + 1) +
                           "] = " + std::to_string(row_start[i + 1]) + " < " + std::to_string(row_start[i]));
  if (static_cast<uint64_t>(row_start[N]) != nnz)
    throw_range(env, "esnHarvest: rowStart[units] = " + std::to_string(row_start[N]) +
                         " must equal the length of colIndex, " + std::to_string(nnz));
  for (uint64_t k = 0; k < nnz; ++k)
    if (col_index[k] < 0 || col_index[k] >= N)
      throw_range(env, "esnHarvest: colIndex[" + std::to_string(k) + "] = " + std::to_string(col_index[k]) +
                           " is outside [0, units = " + std::to_string(N) + ")");
  const AnyFloat values = any_float_arg(vValues, "esnHarvest: values", nnz, shape_text({static_cast<int64_t>(nnz)}));
  const AnyFloat inputs = any_float_arg(vInputs, "esnHarvest: inputs", checked_mul(env, T, I, "esnHarvest: inputs"), shape_text({T, I}));
  const AnyFloat win = any_float_arg(vWin, "esnHarvest: Win", checked_mul(env, N, I, "esnHarvest: Win"), shape_text({N, I}));
  const AnyFloat bias = any_float_arg(vBias, "esnHarvest: bias", N, shape_text({N}));
  const AnyFloat feedback = any_float_optional(vFeedback, "esnHarvest: feedback", checked_mul(env, T, O, "esnHarvest: feedback"), shape_text({T, O}));
  const AnyFloat wfb = any_float_optional(vWfb, "esnHarvest: Wfb", checked_mul(env, N, O, "esnHarvest: Wfb"), shape_text({N, O}));
  const AnyFloat noise = any_float_optional(vNoise, "esnHarvest: noise", checked_mul(env, T, N, "esnHarvest: noise"), shape_text({T, N}));
  const AnyFloat state = any_float_arg(vState, "esnHarvest: state", N, shape_text({N}));
  const AnyFloat states = any_float_arg(vStates, "esnHarvest: states", checked_mul(env, T, N, "esnHarvest: states"), shape_text({T, N}));
  const bool state_is_f32 = vState.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
  const bool states_is_f32 = vStates.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
  if (state_is_f32 != states_is_f32)
    throw_type(env, std::string("esnHarvest: states must have the type of state (") + (state_is_f32 ? "Float32Array" : "Float64Array") +
                        "), got " + describe(vStates));
  const std::pair<const AnyFloat*, const char*> ins[] = {{&values, "values"}, {&inputs, "inputs"}, {&win, "Win"},
                                                         {&bias, "bias"},     {&feedback, "feedback"}, {&wfb, "Wfb"},
                                                         {&noise, "noise"}};
  for (const auto& [out, out_name] : {std::pair<const AnyFloat*, const char*>{&state, "state"}, {&states, "states"}})
    for (const auto& [in, in_name] : ins)
      check_no_overlap_bytes(env, out->begin(), out->bytes(), in->begin(), in->bytes(),
                             std::string("esnHarvest: ") + out_name + " and " + in_name);
  check_no_overlap_bytes(env, state.begin(), state.bytes(), states.begin(), states.bytes(), "esnHarvest: state and states");
  const auto i32_bytes = [](const int32_t* p, uint64_t n) { return std::make_pair(static_cast<const void*>(p), n * sizeof(int32_t)); };
  for (const auto& [p, bytes] : {i32_bytes(row_start, rows_plus_one), i32_bytes(col_index, nnz)}) {
    check_no_overlap_bytes(env, state.begin(), state.bytes(), p, bytes, "esnHarvest: state and the CSR indices");
    check_no_overlap_bytes(env, states.begin(), states.bytes(), p, bytes, "esnHarvest: states and the CSR indices");
  }

  const bool use_feedback = O > 0 && feedback.length > 0 && wfb.length > 0;  // as the TypeScript kernel
  HarvestJob job{};
  job.steps = T;
  job.n = N;
  job.ni = I;
  job.no = use_feedback ? O : 0;
  job.row_start = row_start;
  job.col_index = col_index;
  job.values = view(values);
  job.inputs = view(inputs);
  job.win = view(win);
  job.bias = view(bias);
  if (use_feedback) {
    job.feedback = view(feedback);
    job.wfb = view(wfb);
  }
  job.noise = view(noise);
  job.leak = leak;
  job.act = act;
  job.state64 = state.f64;
  job.state32 = state.f32;
  job.states64 = states.f64;
  job.states32 = states.f32;
  std::lock_guard<std::mutex> lock(compute_mutex());
  esn_harvest(job);
  return env.Undefined();
}

Napi::Value AccumulateGram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_args_object(info, "esnAccumulateGram");
  Napi::Object a = object_arg(info[0], "esnAccumulateGram: args");
  const Napi::Value vR = a.Get("rows"), vD = a.Get("width"), vO = a.Get("outputs"), vX = a.Get("X"), vY = a.Get("Y"),
                    vGram = a.Get("gram"), vXty = a.Get("xty"), vShift = a.Get("shift");
  const int64_t R = dim_arg(vR, "esnAccumulateGram: rows"), D = dim_arg(vD, "esnAccumulateGram: width"),
                O = dim_arg(vO, "esnAccumulateGram: outputs");
  const AnyFloat X = any_float_arg(vX, "esnAccumulateGram: X", checked_mul(env, R, D, "esnAccumulateGram: X"), shape_text({R, D}));
  const AnyFloat Y = any_float_arg(vY, "esnAccumulateGram: Y", checked_mul(env, R, O, "esnAccumulateGram: Y"), shape_text({R, O}));
  const AnyFloat gram = any_float_arg(vGram, "esnAccumulateGram: gram", checked_mul(env, D, D, "esnAccumulateGram: gram"), shape_text({D, D}), true);
  const AnyFloat xty = any_float_arg(vXty, "esnAccumulateGram: xty", checked_mul(env, D, O, "esnAccumulateGram: xty"), shape_text({D, O}), true);
  const AnyFloat shift = any_float_optional(vShift, "esnAccumulateGram: shift", D, shape_text({D}));
  for (const auto& [out, out_name] : {std::pair<const AnyFloat*, const char*>{&gram, "gram"}, {&xty, "xty"}}) {
    check_no_overlap_bytes(env, out->begin(), out->bytes(), X.begin(), X.bytes(), std::string("esnAccumulateGram: ") + out_name + " and X");
    check_no_overlap_bytes(env, out->begin(), out->bytes(), Y.begin(), Y.bytes(), std::string("esnAccumulateGram: ") + out_name + " and Y");
    if (shift.begin() != nullptr)
      check_no_overlap_bytes(env, out->begin(), out->bytes(), shift.begin(), shift.bytes(), std::string("esnAccumulateGram: ") + out_name + " and shift");
  }
  check_no_overlap_bytes(env, gram.begin(), gram.bytes(), xty.begin(), xty.bytes(), "esnAccumulateGram: gram and xty");
  GramJob job{R, D, O, view(X), view(Y), view(shift), gram.f64, xty.f64};
  std::lock_guard<std::mutex> lock(compute_mutex());
  esn_accumulate_gram(job);
  return env.Undefined();
}

/**
 * esnCholesky({ n, a, m, b }): factorises a [n, n] in place into its lower triangle and, on
 * success, overwrites b [n, m] (or null) with the solution of L Lᵀ X = B. Returns null, or
 * { index, pivot } for the first pivot that is not > 4ε·|A_jj| (as choleskyInPlace).
 */
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_args_object(info, "esnCholesky");
  Napi::Object a = object_arg(info[0], "esnCholesky: args");
  const Napi::Value vN = a.Get("n"), vA = a.Get("a"), vM = a.Get("m"), vB = a.Get("b");
  const int64_t N = dim_arg(vN, "esnCholesky: n"), M = dim_arg(vM, "esnCholesky: m");
  const AnyFloat A = any_float_arg(vA, "esnCholesky: a", checked_mul(env, N, N, "esnCholesky: a"), shape_text({N, N}), true);
  AnyFloat B;
  if (!vB.IsNull() && !vB.IsUndefined())
    B = any_float_arg(vB, "esnCholesky: b", checked_mul(env, N, M, "esnCholesky: b"), shape_text({N, M}), true);
  check_no_overlap_bytes(env, A.begin(), A.bytes(), B.begin(), B.bytes(), "esnCholesky: a and b");
  CholeskyFailure failure{};
  bool ok;
  {
    std::lock_guard<std::mutex> lock(compute_mutex());
    ok = esn_cholesky(A.f64, N, B.f64, M, &failure);
  }
  if (ok) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("index", Napi::Number::New(env, static_cast<double>(failure.index)));
  out.Set("pivot", Napi::Number::New(env, failure.pivot));
  return out;
}

/** esnTanh(x: Float64Array): Float64Array, the kernels' vector tanh (for accuracy tests). */
Napi::Value Tanh(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throw_type(env, "esnTanh: x: expected a Float64Array, got " + describe(info[0]));
  const size_t n = info[0].As<Napi::TypedArray>().ElementLength();
  const AnyFloat x = any_float_arg(info[0], "esnTanh: x", n, shape_text({static_cast<int64_t>(n)}), true);
  Napi::Float64Array y = new_float64(env, n, "esnTanh: y");
  if (n > 0) esn_kernels().tanh(x.f64, y.Data(), static_cast<int64_t>(n));
  return y;
}

}  // namespace

void register_esn(Napi::Env env, Napi::Object exports) {
  exports.Set("esnHarvest", Napi::Function::New(env, guarded<Harvest>, "esnHarvest"));
  exports.Set("esnAccumulateGram", Napi::Function::New(env, guarded<AccumulateGram>, "esnAccumulateGram"));
  exports.Set("esnTanh", Napi::Function::New(env, guarded<Tanh>, "esnTanh"));
  exports.Set("esnCholesky", Napi::Function::New(env, guarded<Cholesky>, "esnCholesky"));
}

}  // namespace recurrent
