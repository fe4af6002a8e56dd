#pragma once

#include "kernels/kernels.h"

namespace attnscope::core::kernels {

// y (n, out) = x (n, in) . W^T (+ b) for nn.Linear weights (out, in) and a few rows (a short
// sentence): the weights are streamed once, each block of them used for all n rows while it is in
// cache, the output columns split among the BLAS threads (parallelFor). sgemm packs the whole weight
// matrix first and is slow for so few rows. Measured, bert-base's 72 linears at 2 threads:
//   rows        4      8     12     16     24     32
//   OpenBLAS   43 ms  43 ms  37 ms  34 ms  48 ms  49 ms
//   this       11 ms  15 ms  25 ms  26-31  53 ms  72 ms
// so linear() uses it up to kFewRows rows.
constexpr int kFewRows = 16;
void fewRowsLinear(const Linear& layer, const float* x, int n, float* y);

}  // namespace attnscope::core::kernels
