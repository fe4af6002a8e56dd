#pragma once

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QPointF>
#include <QRectF>
#include <QStringList>

#include <vector>

namespace attnscope::ui {

// The query-key space of one head (AttentionViz): every token's query and key as points of one
// plane, queries and keys in two colours, lines from queries to the keys they attend to most.
struct QkSpaceSpec {
    const float* points = nullptr;  // (2n, 2): queries 0..n-1, then keys n..2n-1
    int n = 0;
    const float* probs = nullptr;   // (n, n) the head's attention, for the lines; may be null
    QStringList labels;             // n token labels
    int focus = -1;                 // pinned token: its query's lines to every key it attends to
    int hoveredPoint = -1;          // in 0..2n-1, labelled and ringed
    float lineThreshold = 0.05f;    // the focus's lines below this weight are left out
    QString title;
    QString axisNote;               // under the plot ("PCA: axes are the two directions of largest variance")
    QFont font;
    QColor textColor = Qt::black;
};

struct QkSpaceLayout {
    QRectF titleRect, legendRect, plot, noteRect;
    std::vector<QPointF> positions;  // (2n) where each point is drawn
};

QkSpaceLayout qkSpaceLayout(const QRectF& rect, const QkSpaceSpec& spec);
// The point within `radius` of p (nearest), or -1.
int qkPointAt(const QkSpaceLayout& layout, const QPointF& p, double radius);
void paintQkSpace(QPainter& painter, const QRectF& rect, const QkSpaceSpec& spec);

// Queries orange, keys blue (Okabe-Ito, colour-blind safe).
QColor queryColor();
QColor keyColor();

}  // namespace attnscope::ui
