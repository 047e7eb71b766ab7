// JavaScript bindings of the dense ops (validation, then dense_ops.h / gemm.h).
#pragma once

#include <napi.h>

namespace recurrent {

void register_dense_ops(Napi::Env env, Napi::Object exports);

}  // namespace recurrent
