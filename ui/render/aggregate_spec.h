#pragma once

#include "render/heatmap_painter.h"
#include "render/view_specs.h"

#include <vector>

namespace attnscope::ui {

// The (n, n) matrix of the aggregate view for the state's layer and aggregate mode, computed once
// per (trace, mode, layer) and kept for repaints.
struct AggregateCache {
    const core::AttentionTrace* trace = nullptr;
    AggregateMode mode = AggregateMode::Mean;
    int layer = -1;
    std::vector<float> matrix;
    const std::vector<float>& get(const core::AttentionTrace& trace, AggregateMode mode, int layer);
};

QString aggregateName(AggregateMode mode);  // "mean", "max", "rollout"
bool aggregateFromName(const QString& name, AggregateMode* mode);

// The aggregate figure as a heatmap: rows queries, columns keys, the focus token outlined.
HeatmapSpec aggregateSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style, AggregateCache& cache);

}  // namespace attnscope::ui
