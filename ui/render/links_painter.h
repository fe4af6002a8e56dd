#pragma once

#include "render/attention_matrix.h"

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace attnscope::ui {

// The head view: queries on the left, keys on the right, one line per pair whose width and opacity
// are the attention weight (the same on screen and in exports); one colour per head. The columns are
// headed "attends from" (queries) and "attends to" (keys).
struct LinksSpec {
    int n = 0;
    QStringList labels;
    std::vector<const float*> heads;  // each (n, n)
    std::shared_ptr<const std::vector<std::vector<float>>> owned;  // backing store of computed heads
    // A long prompt's heads, fetched one at a time while drawing (each rebuilt from q and k), in
    // place of `heads`: never every head's matrix at once.
    std::function<AttentionMatrix(int head)> fetch;
    // With fetch and a focus: only the focus token's row (query side) or column (key side) of head
    // `head`, computed without its matrix.
    std::function<std::vector<float>(int head, int focus, bool focusIsKey)> fetchFocus;
    std::vector<QColor> colors;       // one per head drawn
    float threshold = 0;              // weights below are not drawn
    int focus = -1;                   // token singled out
    bool focusIsKey = false;          // focus on the right column (incoming) instead of the left
    bool causal = false;
    QFont font;
    QColor textColor = Qt::black;
    QString title;
    QString caption;              // under the title: what the pronoun refers to (teaching models)
    bool captionWarning = false;  // ... said as a warning: outside what the model learned
    // Screen drawing: lines rasterised straight into the view's image (LineRasterizer), bucketed by
    // weight; exports draw QPainter strokes with round caps. Both draw the widths of linkWidth().
    bool fastLines = false;
    bool columnHeaders = true;

    int headCount() const { return fetch ? int(colors.size()) : int(heads.size()); }
};

struct LinksLayout {
    QRectF titleRect, captionRect;
    QRectF headerRect;   // "attends from" / "attends to" above the columns
    QRectF left, right;  // label columns
    double rowHeight = 0;
    double top = 0;      // y of row 0's top
};

enum class LinkSide { Query, Key };
struct LinkHit {
    LinkSide side;
    int token;
};

// A line's width for weight w in [0, 1] with rows rowHeight apart: from a hairline (1 unit) up to
// about a quarter of a row at w = 1, so the strong links read from the back of a room.
double linkWidth(float w, double rowHeight);

// The labels' font for a figure of this size: as large as the rows allow (see links_painter.cpp).
QFont linksFont(const QRectF& rect, const LinksSpec& spec);
LinksLayout linksLayout(const QRectF& rect, const LinksSpec& spec);
std::optional<LinkHit> linksTokenAt(const LinksLayout& layout, int n, const QPointF& point);
void paintLinks(QPainter& painter, const QRectF& rect, const LinksSpec& spec);

}  // namespace attnscope::ui
