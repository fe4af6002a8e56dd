#pragma once

#include "kernels/kernels.h"

#include <cstdint>

// 16-bit weights (bfloat16, IEEE half) used as stored: widened to float32 a block at a time, inside
// the product, so a BF16 checkpoint costs its own size in memory and its numbers equal a float32
// computation with the stored values.
namespace attnscope::core::kernels {

// dst (count) = src (count) as float32, exactly.
void widen16(WeightType type, const uint16_t* src, float* dst, int64_t count);

// Scratch for one widened block: 16 MiB, within L3. Smaller blocks make sgemm pack x again for
// every block: measured on a 2-core EPYC (L2 2 MiB, L3 32 MiB), synthetic Llama-1B BF16, median of 3,
//   block      1 MiB    4 MiB    8 MiB   16 MiB   32 MiB
//   128 tok    1476     1609     1327     1493     1368 ms  (noisy: F32 weights 1268 ms)
//   512 tok    7953     5731     5319     4847     4803 ms  (F32 weights 4662 ms)
inline constexpr int64_t kBlockFloats = int64_t(1) << 22;

// y (n, out) = x (n, in) . W + b for 16-bit W (layer.type BF16 or F16), y's rows ldy apart:
// blocks of W's output columns (about blockFloats widened values each) are widened into a scratch
// block that stays in cache, each multiplied by all of x with sgemm. linear() takes this way past
// kFewRows16 rows (AVX-512 builds; every row count otherwise).
void linear16(const Linear& layer, const float* x, int n, float* y, int ldy, int64_t blockFloats = kBlockFloats);

}  // namespace attnscope::core::kernels
