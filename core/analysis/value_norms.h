#pragma once

#include "trace/attention_trace.h"
#include "util/result.h"

#include <memory>
#include <vector>

namespace attnscope::core {

// Value-weighted norms (Kobayashi et al. 2020) of one head: norms (n, n) with
// norms[i][j] = || a_ij f_h(x_j) || = a_ij ||f_h(x_j)||, f_h(x) = (x W_V + b_V)|_h W_O|_h (no output
// bias). The trace must hold value norms (TraceRecorder::setValueNorms).
std::vector<float> valueWeightedNorms(const AttentionTrace& trace, int layer, int head);

// A trace like `trace` whose attention probabilities are replaced by the value-weighted norms of
// each row as shares of the row's total (rows sum to 1, as the views expect), so every view can
// show "what flows" instead of "what is attended". q, k, v, context, the raw scores and the hidden
// states are the originals. Refused (with the reason) when the trace has no value norms, or when
// holding every head's matrices would take more than TraceRecorder::kFullTraceBytes.
Result<std::shared_ptr<const AttentionTrace>> valueWeightedTrace(const AttentionTrace& trace);

}  // namespace attnscope::core
