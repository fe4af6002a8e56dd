#pragma once

#include "session/view_state.h"
#include "trace/attention_trace.h"

#include <vector>

namespace attnscope::ui {

// The (n, n) matrix a view shows for a layer: one head's probabilities, or their mean over heads.
struct AttentionMatrix {
    int n = 0;
    const float* data = nullptr;  // (n, n) rows = queries, columns = keys
    std::vector<float> owned;     // backing store when computed (the average)
    std::vector<core::HeadMatrices> kept;  // heads pointed into (a rebuilt head lives while kept)
};

// hideFirstToken: without the first key, rows renormalised (core::withoutFirstKey).
AttentionMatrix selectMatrix(const core::AttentionTrace& trace, int layer, HeadMode mode, int head, bool hideFirstToken = false);

// "Layer 4 · Head 7" or "Layer 4 · mean of 12 heads". Layers and heads count from 0 everywhere in
// AttnScope, as in the attention arrays (Clark et al.'s head "5-4" is layer 4, head 3 here).
QString matrixTitle(int layer, HeadMode mode, int head, int heads, bool hideFirstToken = false);

}  // namespace attnscope::ui
