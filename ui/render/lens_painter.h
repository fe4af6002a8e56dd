#pragma once

#include "analysis/logit_lens.h"
#include "render/colormap.h"

#include <QFont>
#include <QPainter>
#include <QPoint>
#include <QRectF>
#include <QStringList>

#include <optional>

namespace attnscope::ui {

// The logit lens as a grid: a column per input token, a row per layer (the embeddings at the
// bottom, the model's output at the top), each cell the top token read there, coloured by its
// probability.
struct LensSpec {
    const core::LogitLens* lens = nullptr;
    QStringList tokens;     // n input token labels (the columns)
    QStringList cellTexts;  // (L + 1) n k token texts, as lens->cells
    Colormap colormap;
    int focus = -1;         // the pinned token's column is outlined
    QString title;
    QFont font;
    QColor textColor = Qt::black;
};

struct LensLayout {
    QRectF grid;        // all cells
    QRectF colorbar;
    QRectF titleRect;
    double cellW = 0, cellH = 0;
    double rowLabelW = 0;
};

LensLayout lensLayout(const QRectF& rect, const LensSpec& spec);
// (token, layer) of the cell under a point.
std::optional<QPoint> lensCellAt(const LensLayout& layout, const LensSpec& spec, const QPointF& point);
void paintLens(QPainter& painter, const QRectF& rect, const LensSpec& spec);

}  // namespace attnscope::ui
