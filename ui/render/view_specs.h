#pragma once

#include "render/attention_matrix.h"
#include "render/grid_painter.h"
#include "render/heatmap_painter.h"
#include "render/image_painter.h"
#include "render/lens_painter.h"
#include "render/links_painter.h"
#include "session/analysis_result.h"
#include "session/view_state.h"

namespace attnscope::ui {

// Fonts and colours of a figure (screen palette, presentation mode, export).
struct FigureStyle {
    QFont font;
    QColor text = Qt::black;
    QColor background = Qt::white;  // what the figure is drawn on (diverging colours fade into it)
    bool vector = false;  // SVG/PDF: cells as rectangles
};

// The specs the painters draw from, built the same way for the screen and for export. The matrix
// argument keeps an averaged matrix alive while the spec is used.
HeatmapSpec heatmapSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style,
                        AttentionMatrix& matrix);
LinksSpec linksSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style,
                    AttentionMatrix& matrix);
GridSpec gridSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style);
// The logit lens figure (result.lens must be set; spec.lens is null otherwise).
LensSpec lensSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style);
// The last rollout computed for a view (an L-fold product of n x n matrices: ~90 M multiply-adds for
// vit-base), so hover repaints do not recompute it.
struct RolloutCache {
    const core::AttentionTrace* trace = nullptr;
    core::HeadFusion fusion = core::HeadFusion::Mean;
    float discard = -1;
    std::vector<float> map;
    const std::vector<float>& get(const core::AttentionTrace& trace, core::HeadFusion fusion, float discard);
};

// The image figure (image results only): the picture with the overlay the state asks for.
ImageSpec imageSpec(const AnalysisResult& result, const ViewState& state, const FigureStyle& style, RolloutCache* cache = nullptr);
// The overlay's values over the patches (grid, grid) row-major: what "Export data" writes for the image view.
std::vector<float> imageMapValues(const AnalysisResult& result, const ViewState& state);

// Options of the Q/K/V figure that are not in the ViewState.
struct QkvOptions {
    int step = 10;   // last step shown: its place among the model's steps (qkvSteps), clamped
    int query = -1;  // -1: the focus token, else the last (decoders) or first (encoders) word
    int firstKey = 0;      // the first key row shown when the keys do not all fit
    bool allKeys = true;   // every key row however thin (export), else pages of legible rows (screen)
};

QStringList figureNames();  // "links", "heatmap", "grid", "qkv", "image" (image results)
// A good size in points for a named figure of this result.
QSizeF figureSize(const QString& name, const AnalysisResult& result);
// Draws the named figure; the same code serves the views, export, batch export and the CLI.
void paintFigureByName(const QString& name, QPainter& painter, const QRectF& rect, const AnalysisResult& result,
                       const ViewState& state, const FigureStyle& style, const QkvOptions& qkv = {});
int defaultQuery(const AnalysisResult& result, const ViewState& state, int query);
// " · value-weighted norms", " · 2 heads off": appended to every figure's title.
QString analysisSuffix(const AnalysisResult& result);

}  // namespace attnscope::ui
