// The ESN kernels' bindings: esnHarvest, esnAccumulateGram, esnTanh, esnCholesky.
#pragma once

#include <napi.h>

namespace recurrent {

void register_esn(Napi::Env env, Napi::Object exports);

}  // namespace recurrent
