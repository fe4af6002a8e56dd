#include "render/heatmap_painter.h"

#include "render/colorbar_painter.h"
#include "render/figure_marks.h"

#include <QFontMetricsF>
#include <QImage>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

constexpr float kLogFloor = 1e-4f;
const QColor kMasked(226, 226, 226);

}  // namespace

float heatmapScale(float v, bool logScale) {
    if (!(v > 0)) return 0;
    if (!logScale) return std::min(v, 1.0f);
    return std::clamp((std::log10(std::max(v, kLogFloor)) + 4.0f) / 4.0f, 0.0f, 1.0f);
}

float heatmapPosition(const HeatmapSpec& s, float v) {
    if (s.signedRange > 0) return std::isnan(v) ? 0.5f : std::clamp(0.5f + v / (2 * s.signedRange), 0.0f, 1.0f);
    return heatmapScale(v, s.logScale);
}

QStringList heatmapTicks(const HeatmapSpec& s) {
    if (s.signedRange > 0) {
        const float r = s.signedRange;
        auto f = [](float v) { return v == 0 ? QStringLiteral("0") : (v > 0 ? QStringLiteral("+") : QStringLiteral("−")) + QString::number(std::fabs(v), 'g', 2); };
        return {f(-r), f(-r / 2), f(0), f(r / 2), f(r)};
    }
    return s.logScale ? QStringList{"1e-4", "1e-3", "0.01", "0.1", "1"} : QStringList{"0", "0.25", "0.5", "0.75", "1"};
}

HeatmapLayout heatmapLayout(const QRectF& rect, const HeatmapSpec& spec) {
    const QFontMetricsF fm(spec.font);
    HeatmapLayout l;
    // Measured in bold: the focus's label is drawn bold and must not be clipped.
    QFont bold = spec.font;
    bold.setBold(true);
    const QFontMetricsF bm(bold);
    double widest = 0;
    for (const QString& s : spec.labels) widest = std::max(widest, bm.horizontalAdvance(s));
    l.labelWidth = std::min(widest, bm.averageCharWidth() * 14) + kFigureGap;
    const double titleH = spec.title.isEmpty() ? 0 : fm.height() * 1.4;
    const double barW = kColorbarWidth + kFigureGap + fm.horizontalAdvance(QStringLiteral("0.000")) + kFigureGap;
    const double availW = rect.width() - l.labelWidth - barW - kFigureGap;
    const double availH = rect.height() - l.labelWidth - titleH;
    const double side = std::max(0.0, std::min(availW, availH));
    const QRectF all(0, 0, spec.n, spec.n);
    l.view = spec.view.isEmpty() ? all : spec.view.intersected(all);
    if (l.view.isEmpty()) l.view = all;
    const double shown = std::max(l.view.width(), l.view.height());
    l.cell = spec.n > 0 ? side / shown : 0;
    l.labelStep = l.cell > 0 ? std::max(1, int(std::ceil(fm.height() * 0.95 / l.cell))) : 1;
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), titleH);
    l.matrix = QRectF(rect.left() + l.labelWidth, rect.top() + titleH + l.labelWidth, l.cell * l.view.width(), l.cell * l.view.height());
    l.origin = l.matrix.topLeft() - QPointF(l.view.left() * l.cell, l.view.top() * l.cell);
    l.colorbar = QRectF(l.matrix.right() + kFigureGap * 2, l.matrix.top(), kColorbarWidth, l.matrix.height());
    return l;
}

std::optional<QPoint> heatmapCellAt(const HeatmapLayout& l, int n, const QPointF& p) {
    if (n <= 0 || l.cell <= 0 || !l.matrix.contains(p)) return std::nullopt;
    const int col = std::clamp(int(std::floor((p.x() - l.origin.x()) / l.cell)), 0, n - 1);
    const int row = std::clamp(int(std::floor((p.y() - l.origin.y()) / l.cell)), 0, n - 1);
    return QPoint(col, row);  // x = column (key), y = row (query)
}

static void paintCells(QPainter& painter, const HeatmapLayout& l, const HeatmapSpec& s) {
    const int n = s.n;
    auto masked = [&](int r, int c) {
        return (s.causal && c > r) || (s.hiddenFirstKey && c == 0) || (s.window > 0 && c <= r - s.window) ||
               (s.signedRange > 0 && std::isnan(s.values[r * n + c]));
    };
    // The cells in view (all of them unless zoomed).
    const int r0 = std::max(0, int(std::floor(l.view.top()))), r1 = std::min(n, int(std::ceil(l.view.bottom())));
    const int c0 = std::max(0, int(std::floor(l.view.left()))), c1 = std::min(n, int(std::ceil(l.view.right())));
    painter.save();
    painter.setClipRect(l.matrix, Qt::IntersectClip);
    if (s.vectorCells) {
        painter.setPen(Qt::NoPen);
        for (int r = r0; r < r1; ++r)
            for (int c = c0; c < c1; ++c) {
                const QColor color = masked(r, c) ? kMasked : s.colormap.color(heatmapPosition(s, s.values[r * n + c]));
                // A hair wider than the cell so no seams show in vector viewers.
                painter.fillRect(QRectF(l.origin.x() + c * l.cell, l.origin.y() + r * l.cell, l.cell + 0.3, l.cell + 0.3), color);
            }
        painter.restore();
        return;
    }
    QImage image(c1 - c0, r1 - r0, QImage::Format_RGB32);
    for (int r = r0; r < r1; ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(r - r0));
        for (int c = c0; c < c1; ++c)
            line[c - c0] = masked(r, c) ? kMasked.rgb() : s.colormap.rgb(heatmapPosition(s, s.values[r * n + c]));
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(QRectF(l.origin.x() + c0 * l.cell, l.origin.y() + r0 * l.cell, (c1 - c0) * l.cell, (r1 - r0) * l.cell), image);
    painter.restore();
}

static void paintLabels(QPainter& painter, const HeatmapLayout& l, const HeatmapSpec& s) {
    const QFontMetricsF fm(s.font);
    QFont bold = s.font;
    bold.setBold(true);
    // Too many rows for every label: every labelStep-th, and always the focus's and the hovered
    // token's, with the regular ones next to those left out so none overlap.
    auto kept = [&](int i) { return i == s.focus || i == s.hovered; };
    auto crowds = [&](int i) {
        for (int k : {s.focus, s.hovered})
            if (k >= 0 && k != i && std::abs(k - i) * l.cell < fm.height() * 0.95) return true;
        return false;
    };
    for (int i = 0; i < s.n && i < s.labels.size(); ++i) {
        if (!kept(i) && (i % l.labelStep != 0 || (l.labelStep > 1 && crowds(i)))) continue;
        const bool rowShown = i + 0.5 >= l.view.top() && i + 0.5 <= l.view.bottom();
        const bool columnShown = i + 0.5 >= l.view.left() && i + 0.5 <= l.view.right();
        const bool focus = i == s.focus;
        painter.setFont(focus ? bold : s.font);
        painter.setPen(focus ? kFocus : s.textColor);
        const QString text = QFontMetricsF(focus ? bold : s.font).elidedText(s.labels[i], Qt::ElideRight, l.labelWidth - 4);
        // Rows (queries) on the left, right-aligned.
        const QRectF row(l.matrix.left() - l.labelWidth, l.origin.y() + i * l.cell + l.cell / 2 - fm.height() / 2,
                         l.labelWidth - 4, fm.height());
        if (rowShown) painter.drawText(row, Qt::AlignRight | Qt::AlignVCenter, text);
        if (!columnShown) continue;
        // Columns (keys) on top, written upwards.
        painter.save();
        painter.translate(l.origin.x() + i * l.cell + l.cell / 2, l.matrix.top() - 4);
        painter.rotate(-90);
        painter.drawText(QRectF(0, -fm.height() / 2, l.labelWidth - 4, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
        painter.restore();
    }
}

void paintHeatmap(QPainter& painter, const QRectF& rect, const HeatmapSpec& s) {
    if (s.n <= 0 || !s.values) return;
    const HeatmapLayout l = heatmapLayout(rect, s);
    if (!s.title.isEmpty()) {
        QFont title = s.font;
        title.setBold(true);
        painter.setFont(title);
        painter.setPen(s.textColor);
        painter.drawText(l.titleRect, Qt::AlignHCenter | Qt::AlignTop, s.title);
    }
    paintCells(painter, l, s);
    paintLabels(painter, l, s);
    paintColorbar(painter, l.colorbar, s.colormap, heatmapTicks(s), s.font, s.textColor);
    if (s.focus >= 0 && s.focus < s.n) {  // outline the focus token's row (its attention) and column
        painter.save();
        painter.setClipRect(l.matrix.adjusted(-3, -3, 3, 3), Qt::IntersectClip);
        painter.setBrush(Qt::NoBrush);
        const double full = l.cell * s.n;
        painter.setPen(QPen(kFocus, std::clamp(l.cell * 0.08, 1.0, 4.0)));
        painter.drawRect(QRectF(l.origin.x(), l.origin.y() + s.focus * l.cell, full, l.cell));
        painter.setPen(QPen(kFocus, std::clamp(l.cell * 0.05, 1.0, 3.0), Qt::DashLine));
        painter.drawRect(QRectF(l.origin.x() + s.focus * l.cell, l.origin.y(), l.cell, full));
        painter.restore();
    }
}

}  // namespace attnscope::ui
