#pragma once

#include "render/attention_matrix.h"
#include "render/grid_painter.h"
#include "render/heatmap_painter.h"
#include "render/links_painter.h"
#include "session/analysis_result.h"
#include "session/view_state.h"

namespace attnscope::ui {

// Fonts and colours of a figure (screen palette, presentation mode, export).
struct FigureStyle {
    QFont font;
    QColor text = Qt::black;
    bool vector = false;  // SVG/PDF: cells as rectangles
};

// The specs the painters draw from, built the same way for the screen and for export. The matrix
// argument keeps an averaged matrix alive while the spec is used.
HeatmapSpec heatmapSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style,
                        AttentionMatrix& matrix);
LinksSpec linksSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style,
                    AttentionMatrix& matrix);
GridSpec gridSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style);

}  // namespace attnscope::ui
