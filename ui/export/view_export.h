#pragma once

#include "render/view_specs.h"
#include "session/analysis_result.h"
#include "session/view_state.h"
#include "util/result.h"

#include <QString>

#include <functional>

namespace attnscope::ui {

// The selected layer's matrix (one head, or the mean of heads) as .csv, .npy or .json.
core::Status exportSelectionData(const QString& path, const AnalysisResult& result, const ViewState& state);
// The image view's patch map (attention row, rollout or DINO mask; see imageMapValues) as a
// (grid, grid) .npy, a .csv of grid rows, or .json.
core::Status exportImageMap(const QString& path, const AnalysisResult& result, const ViewState& state);
// The whole trace: .json (attentions, scores, q/k/v, hidden states) or .npy (attentions (L, H, n, n)).
core::Status exportTraceData(const QString& path, const AnalysisResult& result, const QString& modelType);

// Every layer x head of a view into folder as layer{L}_head{H}.{ext} (ext png, svg or pdf).
// progress(done, total) returns false to stop. Returns the number of files written.
core::Result<int> exportAllHeads(const QString& folder, const QString& view, const QString& ext, const AnalysisResult& result,
                                 const ViewState& state, const FigureStyle& style, int dpi,
                                 const std::function<bool(int, int)>& progress = {});

}  // namespace attnscope::ui
