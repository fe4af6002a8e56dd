#include "render/qk_space_painter.h"

#include "render/figure_marks.h"

#include <QFontMetricsF>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnscope::ui {
namespace {

void drawMarker(QPainter& p, const QPointF& at, bool key, double r) {
    if (!key) {
        p.drawEllipse(at, r, r);
        return;
    }
    QPainterPath tri;  // keys: triangles, so the two kinds differ in shape as well as colour
    tri.moveTo(at + QPointF(0, -r * 1.2));
    tri.lineTo(at + QPointF(r * 1.1, r * 0.8));
    tri.lineTo(at + QPointF(-r * 1.1, r * 0.8));
    tri.closeSubpath();
    p.drawPath(tri);
}

}  // namespace

QColor queryColor() { return QColor(230, 159, 0); }
QColor keyColor() { return QColor(0, 114, 178); }

QkSpaceLayout qkSpaceLayout(const QRectF& rect, const QkSpaceSpec& s) {
    QkSpaceLayout l;
    const QFontMetricsF fm(s.font);
    const double line = fm.height();
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), s.title.isEmpty() ? 0 : line * 1.5);
    l.legendRect = QRectF(rect.left(), l.titleRect.bottom(), rect.width(), line * 1.4);
    l.noteRect = QRectF(rect.left(), rect.bottom() - (s.axisNote.isEmpty() ? 0 : line * 1.3), rect.width(), s.axisNote.isEmpty() ? 0 : line * 1.3);
    l.plot = QRectF(rect.left(), l.legendRect.bottom(), rect.width(), std::max(0.0, l.noteRect.top() - l.legendRect.bottom()));
    const int count = 2 * s.n;
    if (!s.points || count == 0) return l;
    double x0 = std::numeric_limits<double>::max(), x1 = -x0, y0 = x0, y1 = -x0;
    for (int i = 0; i < count; ++i) {
        x0 = std::min(x0, double(s.points[2 * i]));
        x1 = std::max(x1, double(s.points[2 * i]));
        y0 = std::min(y0, double(s.points[2 * i + 1]));
        y1 = std::max(y1, double(s.points[2 * i + 1]));
    }
    // One scale for both axes (distances mean the same in every direction), room for labels.
    const QRectF inner = l.plot.adjusted(line * 2, line, -line * 4, -line);
    const double spanX = std::max(x1 - x0, 1e-12), spanY = std::max(y1 - y0, 1e-12);
    const double scale = std::min(inner.width() / spanX, inner.height() / spanY);
    const QPointF centre = inner.center();
    l.positions.resize(size_t(count));
    for (int i = 0; i < count; ++i)
        l.positions[size_t(i)] = QPointF(centre.x() + (s.points[2 * i] - (x0 + x1) / 2) * scale,
                                         centre.y() - (s.points[2 * i + 1] - (y0 + y1) / 2) * scale);  // up is positive
    return l;
}

int qkPointAt(const QkSpaceLayout& l, const QPointF& p, double radius) {
    int best = -1;
    double bestD = radius * radius;
    for (size_t i = 0; i < l.positions.size(); ++i) {
        const QPointF d = l.positions[i] - p;
        const double dd = QPointF::dotProduct(d, d);
        if (dd <= bestD) {
            bestD = dd;
            best = int(i);
        }
    }
    return best;
}

void paintQkSpace(QPainter& p, const QRectF& rect, const QkSpaceSpec& s) {
    const QkSpaceLayout l = qkSpaceLayout(rect, s);
    const QFontMetricsF fm(s.font);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QFont bold = s.font;
    bold.setBold(true);
    if (!s.title.isEmpty()) {
        p.setFont(bold);
        p.setPen(s.textColor);
        p.drawText(l.titleRect, Qt::AlignHCenter | Qt::AlignTop, s.title);
    }
    // Legend: marker and word for each kind.
    p.setFont(s.font);
    const double r = std::clamp(fm.height() * 0.28, 3.0, 7.0);
    double x = l.legendRect.left() + r * 2;
    const double ly = l.legendRect.center().y();
    for (int key = 0; key < 2; ++key) {
        p.setPen(Qt::NoPen);
        p.setBrush(key ? keyColor() : queryColor());
        drawMarker(p, QPointF(x, ly), key, r);
        p.setPen(s.textColor);
        const QString word = key ? QStringLiteral("keys") : QStringLiteral("queries");
        p.drawText(QPointF(x + r * 2, ly + fm.ascent() / 2 - 1), word);
        x += r * 4 + fm.horizontalAdvance(word) + fm.height();
    }
    if (s.probs) {
        const QString lines = s.focus >= 0 ? QStringLiteral("lines: what the pinned word's query attends to")
                                           : QStringLiteral("lines: each query to the key it attends to most");
        p.drawText(QPointF(x, ly + fm.ascent() / 2 - 1), lines);
    }
    if (l.positions.empty()) {
        p.restore();
        return;
    }
    const int n = s.n;
    // Lines first, under the points; width and opacity follow the weight.
    if (s.probs) {
        auto link = [&](int i, int j, float w) {
            QColor c = s.focus >= 0 ? kFocus : s.textColor;
            c.setAlphaF(std::clamp(0.15 + 0.75 * double(w), 0.0, 1.0));
            p.setPen(QPen(c, std::max(0.6, 3.5 * double(w)), Qt::SolidLine, Qt::RoundCap));
            p.drawLine(l.positions[size_t(i)], l.positions[size_t(n + j)]);
        };
        for (int i = 0; i < n; ++i) {
            const float* row = s.probs + size_t(i) * size_t(n);
            if (s.focus >= 0) {
                if (i != s.focus) continue;
                for (int j = 0; j < n; ++j)
                    if (row[j] >= s.lineThreshold) link(i, j, row[j]);
            } else {
                const int j = int(std::max_element(row, row + n) - row);
                link(i, j, row[j]);
            }
        }
    }
    // Points: keys, then queries on top; the pinned token's two points larger and ringed.
    for (int key = 1; key >= 0; --key)
        for (int t = 0; t < n; ++t) {
            const int i = key ? n + t : t;
            const bool focus = t == s.focus;
            p.setPen(focus || i == s.hoveredPoint ? QPen(kFocus, 2) : QPen(Qt::white, 0.8));
            p.setBrush(key ? keyColor() : queryColor());
            drawMarker(p, l.positions[size_t(i)], key, focus ? r * 1.5 : r);
        }
    // Labels: all when there are few points, else the pinned token's and the hovered one.
    const bool every = 2 * n <= 80;
    for (int i = 0; i < 2 * n; ++i) {
        const int t = i % n;
        if (!every && t != s.focus && i != s.hoveredPoint) continue;
        const bool strong = t == s.focus || i == s.hoveredPoint;
        p.setFont(strong ? bold : s.font);
        QColor c = i < n ? queryColor().darker(160) : keyColor().darker(130);
        if (strong) c = kFocus;
        p.setPen(c);
        p.drawText(l.positions[size_t(i)] + QPointF(r * 1.6, -r * 0.6), s.labels.value(t));
    }
    if (!s.axisNote.isEmpty()) {
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(l.noteRect, Qt::AlignHCenter | Qt::AlignVCenter, s.axisNote);
    }
    p.restore();
}

}  // namespace attnscope::ui
