#pragma once

#include "render/attention_matrix.h"
#include "render/colormap.h"
#include "trace/attention_trace.h"

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPoint>
#include <QRectF>

#include <optional>
#include <vector>

namespace attnscope::ui {

// The model view: every layer (rows) x head (columns) as a small heatmap.
struct GridSpec {
    const core::AttentionTrace* trace = nullptr;
    Colormap colormap;
    bool logScale = false;
    int selectedLayer = -1, selectedHead = -1;
    int focus = -1;  // token whose row is outlined in every thumbnail
    QFont font;
    QColor textColor = Qt::black;
    bool vectorCells = false;
    const std::vector<QImage>* thumbnails = nullptr;  // layer * heads + head, cached by the view
    bool hideFirstToken = false;  // every thumbnail without the first key, rows renormalised
};

struct GridLayout {
    QRectF area;   // the thumbnails
    double cell = 0;   // thumbnail side
    double gap = 0;
    double labelW = 0, labelH = 0;
    int layers = 0, heads = 0;
    // Every headStep-th column and layerStep-th row labelled (1, 2, 4, 8...): a label no wider than
    // the columns it spans (64 heads: H0, H4, H8...).
    int headStep = 1, layerStep = 1;
    QRectF thumbnail(int layer, int head) const {
        return QRectF(area.left() + head * (cell + gap), area.top() + layer * (cell + gap), cell, cell);
    }
};

GridLayout gridLayout(const QRectF& rect, int layers, int heads, const QFont& font);
// (layer, head) under a point: QPoint(head, layer).
std::optional<QPoint> gridCellAt(const GridLayout& layout, const QPointF& point);
// One head's probabilities as an (n, n) image (masked cells light grey in causal models), or a
// (size, size) picture of block means of an (n, n) matrix (a cell wholly above the diagonal grey).
QImage attentionImage(const float* probs, int n, const Colormap& map, bool logScale, bool causal);
QImage attentionImage(const float* values, int size, int n, const Colormap& map, bool logScale, bool causal);

// What a grid cell shows of a head: its (n, n) matrix, or the (t, t) thumbnail a long prompt's
// trace kept (core::AttentionTrace::rebuilt(): no head is rebuilt to draw the grid).
struct HeadPicture {
    const float* values = nullptr;  // (size, size)
    int size = 0;
    AttentionMatrix matrix;         // backing store of a full matrix
};
HeadPicture headPicture(const core::AttentionTrace& trace, int layer, int head, bool hideFirstToken);
std::vector<QImage> allThumbnails(const core::AttentionTrace& trace, const Colormap& map, bool logScale, bool hideFirstToken = false);
void paintGrid(QPainter& painter, const QRectF& rect, const GridSpec& spec);

}  // namespace attnscope::ui
