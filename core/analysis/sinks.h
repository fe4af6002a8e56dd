#pragma once

#include "trace/attention_trace.h"

#include <vector>

namespace attnscope::core {

// Decoder heads park most of their weight on the first token (an "attention sink"), which washes
// out everything else in a view. These helpers show the rest and measure how much the sink takes.

// probs (n, n) without the first key: column 0 zeroed and each row renormalised over the others
// (a row with no other weight, such as the first query of a causal model, stays all zero).
std::vector<float> withoutFirstKey(const float* probs, int n);

// Mean over query rows of the weight on key 0, for one head: its sink share (0..1).
double sinkShare(const AttentionTrace& trace, int layer, int head);
// [L][H] for every head.
std::vector<std::vector<double>> sinkShares(const AttentionTrace& trace);

}  // namespace attnscope::core
