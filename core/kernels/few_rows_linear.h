#pragma once

#include "kernels/kernels.h"

namespace attnscope::core::kernels {

// y (n, out) = x (n, in) . W (+ b) for nn.Linear (out, in) or Conv1D (in, out) weights and a few rows (a sentence):
// the weights are streamed once, each block of them used for all n rows while it is in cache, the
// output columns split among the BLAS threads (parallelFor). sgemm packs the whole weight matrix
// first, which does not pay for so few rows. Measured, bert-base's 72 linears, 2 threads:
//   rows        4      8     16     24     32     48     64    128
//   OpenBLAS   43 ms  43 ms  34 ms  48 ms  52 ms  67 ms  76 ms  143 ms
//   this       10 ms  11 ms  18 ms  26 ms  34 ms  50 ms  67 ms  149 ms
// so linear() uses it up to kFewRows rows. Defined only in AVX-512 builds (kOwnKernels).
constexpr int kFewRows = 64;
// With 16-bit weights (half the bytes to stream, widened in registers) it beats widening blocks for
// sgemm (half_weights.h) much further: synthetic Llama-1B / Qwen3-0.6B BF16, trace on, 2-core EPYC:
//   tokens          128          256          512          2048
//   blocks + sgemm  1386 / 669   -            5019 / 2532  25479 ms (llama)
//   this            989 / 403    2224 / 892   4571 / 2054  35458 ms (x no longer fits in cache)
constexpr int kFewRows16 = 512;
void fewRowsLinear(const Linear& layer, const float* x, int n, float* y);
// nn.Linear any shape; Conv1D (GPT-2, W (in, out)) when out is a multiple of 64.
bool fewRowsSupports(const Linear& layer);

}  // namespace attnscope::core::kernels
