// JavaScript bindings of the whole-sequence kernels: sequenceForward / sequenceBackward (sync)
// and sequenceForwardAsync / sequenceBackwardAsync (Napi::AsyncWorker, promise-returning).
#pragma once

#include <napi.h>

namespace recurrent {

void register_sequence(Napi::Env env, Napi::Object exports);

}  // namespace recurrent
