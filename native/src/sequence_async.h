// Promise-returning variants of the sequence kernels (Napi::AsyncWorker): the work runs on a
// libuv thread, the event loop stays free.
#pragma once

#include <napi.h>

namespace recurrent {

Napi::Value SequenceForwardAsync(const Napi::CallbackInfo& info);
Napi::Value SequenceBackwardAsync(const Napi::CallbackInfo& info);

}  // namespace recurrent
