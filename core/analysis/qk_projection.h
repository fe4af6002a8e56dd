#pragma once

#include "trace/attention_trace.h"
#include "util/result.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace attnscope::core {

// One head's queries and keys as points of one space (AttentionViz, Yeh et al. 2023): rows 0..n-1
// are the queries q_i, rows n..2n-1 the keys k_j, each (d). Queries are scaled by c and keys by
// 1/c so both have the same mean length, then the keys moved so their mean is the queries' mean.
// Neither changes the attention: the scaling leaves every q_i . k_j as it was, and a shift s of
// every key adds q_i . s to a whole row of scores, which softmax ignores. Returns (2n, d).
std::vector<float> queryKeyPoints(const AttentionTrace& trace, int layer, int head);

// Principal components: points (count, dim) -> (count, 2) on the two directions of largest
// variance, each axis signed so that its largest |coordinate| is positive (deterministic).
std::vector<float> pcaProjection(const float* points, int count, int dim);

struct TsneOptions {
    float perplexity = 30;  // clamped to (count - 1) / 3
    int iterations = 750;   // the first 250 with early exaggeration 12
    uint32_t seed = 1;      // the tiny jitter added to the PCA start
};
// Exact t-SNE (van der Maaten & Hinton 2008): Gaussian affinities at the given perplexity,
// Student-t in 2-D, gradient descent with momentum and gains, started from the PCA projection
// scaled to a standard deviation of 1e-4. count <= kMaxTsnePoints. Deterministic for a seed.
// (count, 2), or an error (too many points, cancelled).
constexpr int kMaxTsnePoints = 2000;
Result<std::vector<float>> tsneProjection(const float* points, int count, int dim, const TsneOptions& options = {},
                                          const std::atomic<bool>* cancel = nullptr);

}  // namespace attnscope::core
