// Arguments of the sequence kernels read from JavaScript into plain structs (validated), and
// the result objects built back; shared by the synchronous and the asynchronous bindings.
#pragma once

#include <napi.h>

#include <string>

#include "sequence.h"

namespace recurrent {

struct ParsedForward {
  SeqForward f;
  bool keep_cache = false;
  std::string key;  // cell + shape + direction, stored in the cache
  size_t cache_floats = 0;
};

/** Reads and validates sequenceForward's argument object (`where` prefixes error messages). */
ParsedForward parse_forward(Napi::Value args, const std::string& where);

/** The output arrays of a forward, allocated in JS (zero-filled); c_n and cache are null when
 *  the cell has no cell state / keepCache is false. */
struct ForwardOutputs {
  Napi::Float32Array y, h_n;
  Napi::Value c_n, cache;
};

/** Allocates the outputs and points p.f at them (`where` names them in an allocation error). */
ForwardOutputs allocate_outputs(Napi::Env env, ParsedForward& p, const std::string& where);

/** { y, hN, cN, cache } with cache = { backend: 'native', key, data } when keepCache. */
Napi::Object forward_result(Napi::Env env, const ParsedForward& p, Napi::Float32Array y, Napi::Float32Array h_n,
                            Napi::Value c_n, Napi::Value cache_data);

struct ParsedBackward {
  ParsedForward fwd;
  SeqBackward b;
  bool has_b_ih = false, has_b_hh = false;
  size_t n_dx = 0, n_wih = 0, n_whh = 0, n_gh = 0, n_bh = 0;
};

/** Reads and validates sequenceBackward's argument object; the caller sets p.b.fwd = &p.fwd.f
 *  once p has its final address. */
ParsedBackward parse_backward(Napi::Value args, const std::string& where);

/** The gradient arrays of a backward, allocated in JS (zero-filled) and pointed to by p.b. */
struct BackwardOutputs {
  Napi::Value dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh, dw_peep, dw_rec;
};

/** Allocates the gradient arrays (zero-filled) and points p.b at them. */
BackwardOutputs allocate_grads(Napi::Env env, ParsedBackward& p, const std::string& where);

/** { dx, dh0, dc0, dWIh, dWHh, dBIh, dBHh, dWPeep, dWGateRec }. */
Napi::Object grads_result(Napi::Env env, const BackwardOutputs& o);

}  // namespace recurrent
