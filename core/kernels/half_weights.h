#pragma once

#include "kernels/kernels.h"

#include <cstdint>

// 16-bit weights (bfloat16, IEEE half) used as stored: widened to float32 a block at a time, inside
// the product, so a BF16 checkpoint costs its own size in memory and its numbers equal a float32
// computation with the stored values.
namespace attnscope::core::kernels {

// dst (count) = src (count) as float32, exactly.
void widen16(WeightType type, const uint16_t* src, float* dst, int64_t count);

// y (n, out) = x (n, in) . W + b for 16-bit W (layer.type BF16 or F16), y's rows ldy apart:
// blocks of W's output columns are widened into a scratch block that stays in cache, each
// multiplied by all of x with sgemm.
void linear16(const Linear& layer, const float* x, int n, float* y, int ldy);

}  // namespace attnscope::core::kernels
