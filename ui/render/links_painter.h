#pragma once

#include "render/attention_matrix.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
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
    // More rows than fit at a readable size (a long text): a window of readable rows, the rest
    // squeezed above and below it (their lines still drawn), labels thinned there but kept for the
    // focus, the hovered token and the focus's strongest partners. The window starts at windowFirst,
    // or (when -1) is centred on windowAnchor (the pinned token), else starts at row 0.
    int windowFirst = -1;
    int windowAnchor = -1;
    int hovered = -1;
    // "All heads": the layer's heads as a legend of coloured squares (one per head of the layer;
    // a hidden head's square is hollow). Empty: no legend.
    std::vector<QColor> legendColors;
    std::vector<bool> legendShown;

    int headCount() const { return fetch ? int(colors.size()) : int(heads.size()); }
};

struct LinksLayout {
    QRectF titleRect, captionRect;
    QRectF legendRect;                // the head legend's row (All heads)
    std::vector<QRectF> legendSquares;  // one per head of the layer
    QRectF headerRect;   // "attends from" / "attends to" above the columns
    QRectF left, right;  // label columns
    double rowHeight = 0;  // a readable row (every row when they all fit)
    double top = 0;      // y of row 0's top
    int n = 0;
    int first = 0, count = 0;  // the readable window: rows [first, first + count)
    double squeezed = 0;       // the height of a row outside the window

    bool windowed() const { return count < n; }
    double rowTop(int i) const;
    double rowSpan(int i) const { return i >= first && i < first + count ? rowHeight : squeezed; }
    double rowCenter(int i) const { return rowTop(i) + rowSpan(i) / 2; }
    double bottom() const { return rowTop(n); }
    int rowAt(double y) const;  // -1 outside the rows
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
// The caption on at most two even lines, elided to width.
QStringList linksCaptionLines(const QFontMetricsF& metrics, const QString& caption, double width);
std::optional<LinkHit> linksTokenAt(const LinksLayout& layout, int n, const QPointF& point);
// The head whose legend square is under point.
std::optional<int> linksLegendAt(const LinksLayout& layout, const QPointF& point);
void paintLinks(QPainter& painter, const QRectF& rect, const LinksSpec& spec);

}  // namespace attnscope::ui
