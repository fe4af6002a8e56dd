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
};

AttentionMatrix selectMatrix(const core::AttentionTrace& trace, int layer, HeadMode mode, int head);

// A heads-wide title: "Layer 4 · Head 7" (1-based, as papers write them) or "Layer 4 · mean of 12 heads".
QString matrixTitle(int layer, HeadMode mode, int head, int heads);

}  // namespace attnscope::ui
