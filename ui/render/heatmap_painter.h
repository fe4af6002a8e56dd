#pragma once

#include "render/colormap.h"

#include <QFont>
#include <QPainter>
#include <QPoint>
#include <QRectF>
#include <QStringList>

#include <optional>

namespace attnscope::ui {

// What a heatmap shows: an (n, n) matrix, rows = queries, columns = keys, values in [0, 1].
struct HeatmapSpec {
    const float* values = nullptr;  // (n, n)
    int n = 0;
    QStringList labels;             // n token labels
    Colormap colormap;
    bool logScale = false;          // 1e-4 .. 1 on a log axis
    bool causal = false;            // cells right of the diagonal are masked: drawn as neutral
    bool hiddenFirstKey = false;    // "hide first token": the first column drawn as neutral too
    int window = 0;  // the layer's sliding window: keys c <= r - window are masked, drawn neutral
    int focus = -1;                 // token whose row and column are outlined
    int hovered = -1;               // its labels kept when labels are thinned (as the focus's)
    QString title;
    QFont font;
    QColor textColor = Qt::black;
    bool vectorCells = false;       // one rectangle per cell (SVG/PDF) instead of one image
    // The part of the matrix shown, in cells (x = keys, y = queries); empty: all of it. Zooming
    // shows fewer cells larger while the labels and the colour bar stay where they are.
    QRectF view;
    // > 0: signed values (a difference) in [-signedRange, signedRange] on a diverging colour map,
    // zero in the middle; NaN cells (gaps of an alignment) drawn as masked.
    float signedRange = 0;
};

// Geometry in the painter's logical coordinates.
struct HeatmapLayout {
    QRectF matrix;     // the cells shown (all n x n, or the zoomed view)
    QPointF origin;    // where cell (0, 0)'s top-left corner falls (outside matrix when zoomed)
    QRectF view;       // the cells shown, in cells
    QRectF colorbar;
    QRectF titleRect;
    double cell = 0;
    int labelStep = 1;  // every labelStep-th label is drawn (labels thin out at small cells)
    double labelWidth = 0;
};

HeatmapLayout heatmapLayout(const QRectF& rect, const HeatmapSpec& spec);
// (row, column) of the cell under a point, if any.
std::optional<QPoint> heatmapCellAt(const HeatmapLayout& layout, int n, const QPointF& point);
// Value -> colour-map position (linear, or log10 over 1e-4 .. 1).
float heatmapScale(float value, bool logScale);
// A cell's colour-map position under the spec (signed or not).
float heatmapPosition(const HeatmapSpec& spec, float value);
// The colour bar's tick labels under the spec, bottom to top.
QStringList heatmapTicks(const HeatmapSpec& spec);
void paintHeatmap(QPainter& painter, const QRectF& rect, const HeatmapSpec& spec);

}  // namespace attnscope::ui
