#include "dense_binding.h"

#include <cmath>
#include <mutex>

#include "alloc.h"
#include "args.h"
#include "dense_ops.h"
#include "gemm.h"
#include "workspace.h"

namespace recurrent {
namespace {

void check_argc(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n)
    throw_type(info.Env(), std::string(fn) + ": expected " + std::to_string(n) + " arguments, got " +
                               std::to_string(info.Length()));
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 1, "gemm");
  Napi::Object a = object_arg(info[0], "gemm: args");
  // Read every property before validating any buffer: a getter could otherwise run JS that
  // detaches a buffer already checked.
  const Napi::Value vTransA = a.Get("transA"), vTransB = a.Get("transB"), vM = a.Get("M"), vN = a.Get("N"),
                    vK = a.Get("K"), vAlpha = a.Get("alpha"), vBeta = a.Get("beta"), vA = a.Get("a"),
                    vB = a.Get("b"), vC = a.Get("c");
  const bool transA = bool_arg(vTransA, "gemm: transA");
  const bool transB = bool_arg(vTransB, "gemm: transB");
  const int64_t M = dim_arg(vM, "gemm: M"), N = dim_arg(vN, "gemm: N"), K = dim_arg(vK, "gemm: K");
  const double alpha = number_arg(vAlpha, "gemm: alpha");
  const double beta = number_arg(vBeta, "gemm: beta");
  const uint64_t mk = checked_mul(env, M, K, "gemm: a"), kn = checked_mul(env, K, N, "gemm: b"),
                 mn = checked_mul(env, M, N, "gemm: c");
  F32 A = f32_arg(vA, "gemm: a", mk, transA ? shape_text({K, M}) : shape_text({M, K}));
  F32 B = f32_arg(vB, "gemm: b", kn, transB ? shape_text({N, K}) : shape_text({K, N}));
  F32 C = f32_arg(vC, "gemm: c", mn, shape_text({M, N}));
  check_no_overlap(env, C.data, C.length, A.data, A.length, "gemm: c and a");
  check_no_overlap(env, C.data, C.length, B.data, B.length, "gemm: c and b");
  std::lock_guard<std::mutex> lock(compute_mutex());
  gemm(transA, transB, M, N, K, static_cast<float>(alpha), A.data, transA ? M : K, B.data, transB ? K : N,
       static_cast<float>(beta), C.data, N);
  return env.Undefined();
}

Napi::Value AddBias(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 4, "addBias");
  const int64_t R = dim_arg(info[2], "addBias: R"), C = dim_arg(info[3], "addBias: C");
  const uint64_t n = checked_mul(env, R, C, "addBias: x");
  F32 x = f32_arg(info[0], "addBias: x", n, shape_text({R, C}));
  F32 bias = f32_arg(info[1], "addBias: bias", C, shape_text({C}));
  Napi::Float32Array y = new_float32(env, n, "addBias: y");
  add_bias(x.data, bias.data, R, C, y.Data());
  return y;
}

Napi::Value SumRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 3, "sumRows");
  const int64_t R = dim_arg(info[1], "sumRows: R"), C = dim_arg(info[2], "sumRows: C");
  F32 x = f32_arg(info[0], "sumRows: x", checked_mul(env, R, C, "sumRows: x"), shape_text({R, C}));
  Napi::Float32Array out = new_float32(env, C, "sumRows: out");
  sum_rows(x.data, R, C, out.Data());
  return out;
}

UnaryOp op_arg(Napi::Value v, const char* fn) {
  const std::string name = string_arg(v, std::string(fn) + ": op");
  UnaryOp op;
  if (!parse_unary_op(name.c_str(), &op))
    throw_range(v.Env(), std::string(fn) + ": op must be one of tanh, sigmoid, relu, exp, log, neg, square, sqrt, got '" +
                             name + "'");
  return op;
}

size_t any_f32_length(Napi::Value v, const std::string& name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw_type(v.Env(), name + ": expected a Float32Array, got " + describe(v));
  return v.As<Napi::TypedArray>().ElementLength();
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 2, "unary");
  const UnaryOp op = op_arg(info[0], "unary");
  const size_t n = any_f32_length(info[1], "unary: x");
  F32 x = f32_arg(info[1], "unary: x", n, "");
  Napi::Float32Array y = new_float32(env, n, "unary: y");
  unary(op, x.data, static_cast<int64_t>(n), y.Data());
  return y;
}

Napi::Value UnaryBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 4, "unaryBackward");
  const UnaryOp op = op_arg(info[0], "unaryBackward");
  const size_t n = any_f32_length(info[1], "unaryBackward: x");
  const std::string shape = "(the length of x)";
  F32 x = f32_arg(info[1], "unaryBackward: x", n, shape);
  F32 y = f32_arg(info[2], "unaryBackward: y", n, shape);
  F32 dy = f32_arg(info[3], "unaryBackward: dy", n, shape);
  Napi::Float32Array dx = new_float32(env, n, "unaryBackward: dx");
  unary_backward(op, x.data, y.data, dy.data, static_cast<int64_t>(n), dx.Data());
  return dx;
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 3, "softmax");
  const int64_t R = dim_arg(info[1], "softmax: R"), C = dim_arg(info[2], "softmax: C");
  const uint64_t n = checked_mul(env, R, C, "softmax: x");
  F32 x = f32_arg(info[0], "softmax: x", n, shape_text({R, C}));
  Napi::Float32Array y = new_float32(env, n, "softmax: y");
  softmax(x.data, R, C, y.Data());
  return y;
}

Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 4, "softmaxBackward");
  const int64_t R = dim_arg(info[2], "softmaxBackward: R"), C = dim_arg(info[3], "softmaxBackward: C");
  const uint64_t n = checked_mul(env, R, C, "softmaxBackward: y");
  F32 y = f32_arg(info[0], "softmaxBackward: y", n, shape_text({R, C}));
  F32 dy = f32_arg(info[1], "softmaxBackward: dy", n, shape_text({R, C}));
  Napi::Float32Array dx = new_float32(env, n, "softmaxBackward: dx");
  softmax_backward(y.data, dy.data, R, C, dx.Data());
  return dx;
}

Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 5, "softmaxCrossEntropy");
  const int64_t N = dim_arg(info[3], "softmaxCrossEntropy: N"), C = dim_arg(info[4], "softmaxCrossEntropy: C");
  const uint64_t n = checked_mul(env, N, C, "softmaxCrossEntropy: logits");
  F32 logits = f32_arg(info[0], "softmaxCrossEntropy: logits", n, shape_text({N, C}));
  uint64_t n_targets = static_cast<uint64_t>(N);
  const int32_t* targets = i32_arg(info[1], "softmaxCrossEntropy: targets", &n_targets);
  F32 mask = f32_optional(info[2], "softmaxCrossEntropy: mask", N, shape_text({N}));
  for (int64_t i = 0; i < N; ++i) {
    const bool counted = mask.data == nullptr || mask.data[i] != 0.0f;
    if (counted && (targets[i] < 0 || targets[i] >= C))
      throw_range(env, "softmaxCrossEntropy: target " + std::to_string(targets[i]) + " at row " + std::to_string(i) +
                           " is outside [0, " + std::to_string(C) + ")");
  }
  Napi::Float32Array dlogits = new_float32(env, n, "softmaxCrossEntropy: dlogits");
  double loss = 0, count = 0;
  softmax_cross_entropy(logits.data, targets, mask.data, N, C, dlogits.Data(), &loss, &count);
  Napi::Object out = Napi::Object::New(env);
  out.Set("lossSum", Napi::Number::New(env, loss));
  out.Set("count", Napi::Number::New(env, count));
  out.Set("dlogits", dlogits);
  return out;
}

void check_ids(Napi::Env env, const int32_t* ids, uint64_t n, int64_t V, const char* fn) {
  for (uint64_t i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= V)
      throw_range(env, std::string(fn) + ": id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                           " is outside [0, " + std::to_string(V) + ")");
}

Napi::Value EmbeddingForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 4, "embeddingForward");
  const int64_t V = dim_arg(info[2], "embeddingForward: V"), E = dim_arg(info[3], "embeddingForward: E");
  F32 table = f32_arg(info[0], "embeddingForward: table", checked_mul(env, V, E, "embeddingForward: table"),
                      shape_text({V, E}));
  uint64_t n = UINT64_MAX;
  const int32_t* ids = i32_arg(info[1], "embeddingForward: ids", &n);
  check_ids(env, ids, n, V, "embeddingForward");
  Napi::Float32Array out = new_float32(env, checked_mul(env, n, E, "embeddingForward: out"), "embeddingForward: out");
  embedding_forward(table.data, ids, static_cast<int64_t>(n), E, out.Data());
  return out;
}

Napi::Value EmbeddingBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_argc(info, 5, "embeddingBackward");
  const int64_t V = dim_arg(info[3], "embeddingBackward: V"), E = dim_arg(info[4], "embeddingBackward: E");
  F32 d_table = f32_arg(info[0], "embeddingBackward: dTable", checked_mul(env, V, E, "embeddingBackward: dTable"),
                        shape_text({V, E}));
  uint64_t n = UINT64_MAX;
  const int32_t* ids = i32_arg(info[1], "embeddingBackward: ids", &n);
  const uint64_t out_len = checked_mul(env, n, E, "embeddingBackward: dOut");
  F32 d_out = f32_arg(info[2], "embeddingBackward: dOut", out_len, shape_text({static_cast<int64_t>(n), E}));
  check_no_overlap(env, d_table.data, d_table.length, d_out.data, d_out.length, "embeddingBackward: dTable and dOut");
  check_ids(env, ids, n, V, "embeddingBackward");  // before any write: no partial update
  embedding_backward(d_table.data, ids, d_out.data, static_cast<int64_t>(n), E);
  return env.Undefined();
}

}  // namespace

void register_dense_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, guarded<Gemm>, "gemm"));
  exports.Set("addBias", Napi::Function::New(env, guarded<AddBias>, "addBias"));
  exports.Set("sumRows", Napi::Function::New(env, guarded<SumRows>, "sumRows"));
  exports.Set("unary", Napi::Function::New(env, guarded<Unary>, "unary"));
  exports.Set("unaryBackward", Napi::Function::New(env, guarded<UnaryBackward>, "unaryBackward"));
  exports.Set("softmax", Napi::Function::New(env, guarded<Softmax>, "softmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, guarded<SoftmaxBackward>, "softmaxBackward"));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, guarded<SoftmaxCrossEntropy>, "softmaxCrossEntropy"));
  exports.Set("embeddingForward", Napi::Function::New(env, guarded<EmbeddingForward>, "embeddingForward"));
  exports.Set("embeddingBackward", Napi::Function::New(env, guarded<EmbeddingBackward>, "embeddingBackward"));
}

}  // namespace recurrent
