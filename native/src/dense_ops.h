// The small dense ops of the backend contract, on raw float32 buffers (already validated).
#pragma once

#include <cstdint>

namespace recurrent {

enum class UnaryOp { tanh, sigmoid, relu, exp, log, neg, square, sqrt };

/** Parses the contract's op name; false when unknown. */
bool parse_unary_op(const char* name, UnaryOp* out);

void add_bias(const float* x, const float* bias, int64_t R, int64_t C, float* y);  // x, y [R, C]; bias [C]
void sum_rows(const float* x, int64_t R, int64_t C, float* out);                   // x [R, C]; out [C]
void unary(UnaryOp op, const float* x, int64_t n, float* y);
void unary_backward(UnaryOp op, const float* x, const float* y, const float* dy, int64_t n, float* dx);
void softmax(const float* x, int64_t R, int64_t C, float* y);                            // [R, C]
void softmax_backward(const float* y, const float* dy, int64_t R, int64_t C, float* dx);  // [R, C]
/** logits [N, C], targets [N] (checked in range), mask [N] or nullptr; dlogits [N, C]. */
void softmax_cross_entropy(const float* logits, const int32_t* targets, const float* mask, int64_t N,
                           int64_t C, float* dlogits, double* loss_sum, double* count);
void embedding_forward(const float* table, const int32_t* ids, int64_t n_ids, int64_t E, float* out);
void embedding_backward(float* d_table, const int32_t* ids, const float* d_out, int64_t n_ids, int64_t E);

}  // namespace recurrent
