#pragma once

#include <cstdint>

namespace attnscope::core {

// What a long prompt's trace keeps of every head when it does not keep the matrices: the head's
// sink share and its downsampled picture, computed as the forward pass makes each head.

// Side of a head's thumbnail (the grid's cells are smaller than this at 1080p).
constexpr int kThumbnailSize = 128;

// probs (n, n) -> thumb (t, t): the mean of each block of rows [r n / t, (r + 1) n / t) and the
// same columns (t <= n); hidden (t, t) likewise for the matrix without the first key, rows
// renormalised (analysis/sinks.h withoutFirstKey), or null; *sinkShare = mean over rows of p_i0.
// causal: row i's weights after key i are zeros (a causal head's), and are not read.
void summarizeHead(const float* probs, int n, int t, float* thumb, float* hidden, double* sinkShare, bool causal = false);

// The mean weight on key 0 over the query rows of probs (n, n).
double meanFirstKeyWeight(const float* probs, int n);

}  // namespace attnscope::core
