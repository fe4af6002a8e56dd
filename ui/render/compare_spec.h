#pragma once

#include "analysis/compare.h"
#include "render/heatmap_painter.h"

namespace attnscope::ui {

// The difference heatmap of a comparison (b - a on the aligned grid; gaps masked) on the diverging
// colour map, symmetric about zero. The spec points into c, which must outlive it.
HeatmapSpec comparisonSpec(const core::Comparison& c, const QFont& font, const QColor& textColor);

}  // namespace attnscope::ui
