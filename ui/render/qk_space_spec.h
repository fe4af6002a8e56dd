#pragma once

#include "render/qk_space_painter.h"
#include "render/view_specs.h"

#include <atomic>

namespace attnscope::ui {

// A head's queries and keys projected to 2-D (2n, 2) by PCA or t-SNE (core/analysis/qk_projection).
core::Result<std::vector<float>> projectQueryKeys(const core::AttentionTrace& trace, int layer, int head, QkProjection method,
                                                  const std::atomic<bool>* cancel = nullptr);

// The projection last computed for a view, so repaints and hovers reuse it.
struct QkSpaceCache {
    const core::AttentionTrace* trace = nullptr;
    int layer = -1, head = -1;
    QkProjection method = QkProjection::Pca;
    std::vector<float> points;
    bool matches(const core::AttentionTrace* t, int l, int h, QkProjection m) const {
        return trace == t && layer == l && head == h && method == m && !points.empty();
    }
};

// The figure's spec for the state's layer and head; `keep` holds the head's matrices while drawn.
QkSpaceSpec qkSpaceSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style, const std::vector<float>& points,
                        core::HeadMatrices& keep);

}  // namespace attnscope::ui
