#include "render/heatmap_painter.h"

#include "render/colorbar_painter.h"

#include <QFontMetricsF>
#include <QImage>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

constexpr double kGap = 6;
constexpr double kColorbarWidth = 14;
constexpr float kLogFloor = 1e-4f;
const QColor kMasked(226, 226, 226);
const QColor kFocus(230, 60, 40);

}  // namespace

float heatmapScale(float v, bool logScale) {
    if (!(v > 0)) return 0;
    if (!logScale) return std::min(v, 1.0f);
    return std::clamp((std::log10(std::max(v, kLogFloor)) + 4.0f) / 4.0f, 0.0f, 1.0f);
}

HeatmapLayout heatmapLayout(const QRectF& rect, const HeatmapSpec& spec) {
    const QFontMetricsF fm(spec.font);
    HeatmapLayout l;
    double widest = 0;
    for (const QString& s : spec.labels) widest = std::max(widest, fm.horizontalAdvance(s));
    l.labelWidth = std::min(widest, fm.averageCharWidth() * 14) + kGap;
    const double titleH = spec.title.isEmpty() ? 0 : fm.height() * 1.4;
    const double barW = kColorbarWidth + kGap + fm.horizontalAdvance(QStringLiteral("0.000")) + kGap;
    const double availW = rect.width() - l.labelWidth - barW - kGap;
    const double availH = rect.height() - l.labelWidth - titleH;
    const double side = std::max(0.0, std::min(availW, availH));
    l.cell = spec.n > 0 ? side / spec.n : 0;
    l.labelStep = l.cell > 0 ? std::max(1, int(std::ceil(fm.height() * 0.95 / l.cell))) : 1;
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), titleH);
    l.matrix = QRectF(rect.left() + l.labelWidth, rect.top() + titleH + l.labelWidth, l.cell * spec.n, l.cell * spec.n);
    l.colorbar = QRectF(l.matrix.right() + kGap * 2, l.matrix.top(), kColorbarWidth, l.matrix.height());
    return l;
}

std::optional<QPoint> heatmapCellAt(const HeatmapLayout& l, int n, const QPointF& p) {
    if (n <= 0 || l.cell <= 0 || !l.matrix.contains(p)) return std::nullopt;
    const int col = std::clamp(int((p.x() - l.matrix.left()) / l.cell), 0, n - 1);
    const int row = std::clamp(int((p.y() - l.matrix.top()) / l.cell), 0, n - 1);
    return QPoint(col, row);  // x = column (key), y = row (query)
}

static void paintCells(QPainter& painter, const HeatmapLayout& l, const HeatmapSpec& s) {
    const int n = s.n;
    auto masked = [&](int r, int c) {
        return (s.causal && c > r) || (s.hiddenFirstKey && c == 0) || (s.window > 0 && c <= r - s.window);
    };
    if (s.vectorCells) {
        painter.setPen(Qt::NoPen);
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) {
                const QColor color = masked(r, c) ? kMasked : s.colormap.color(heatmapScale(s.values[r * n + c], s.logScale));
                // A hair wider than the cell so no seams show in vector viewers.
                painter.fillRect(QRectF(l.matrix.left() + c * l.cell, l.matrix.top() + r * l.cell, l.cell + 0.3, l.cell + 0.3), color);
            }
        return;
    }
    QImage image(n, n, QImage::Format_RGB32);
    for (int r = 0; r < n; ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
        for (int c = 0; c < n; ++c)
            line[c] = masked(r, c) ? kMasked.rgb() : s.colormap.rgb(heatmapScale(s.values[r * n + c], s.logScale));
    }
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(l.matrix, image);
    painter.restore();
}

static void paintLabels(QPainter& painter, const HeatmapLayout& l, const HeatmapSpec& s) {
    const QFontMetricsF fm(s.font);
    QFont bold = s.font;
    bold.setBold(true);
    for (int i = 0; i < s.n && i < s.labels.size(); ++i) {
        if (i % l.labelStep != 0 && i != s.focus) continue;
        const bool focus = i == s.focus;
        painter.setFont(focus ? bold : s.font);
        painter.setPen(focus ? kFocus : s.textColor);
        const QString text = fm.elidedText(s.labels[i], Qt::ElideRight, l.labelWidth - 4);
        // Rows (queries) on the left, right-aligned.
        const QRectF row(l.matrix.left() - l.labelWidth, l.matrix.top() + i * l.cell + l.cell / 2 - fm.height() / 2,
                         l.labelWidth - 4, fm.height());
        painter.drawText(row, Qt::AlignRight | Qt::AlignVCenter, text);
        // Columns (keys) on top, written upwards.
        painter.save();
        painter.translate(l.matrix.left() + i * l.cell + l.cell / 2, l.matrix.top() - 4);
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
    const QStringList ticks = s.logScale ? QStringList{"1e-4", "1e-3", "0.01", "0.1", "1"} : QStringList{"0", "0.25", "0.5", "0.75", "1"};
    paintColorbar(painter, l.colorbar, s.colormap, ticks, s.font, s.textColor);
    if (s.focus >= 0 && s.focus < s.n) {  // outline the focus token's row (its attention) and column
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(kFocus, std::max(1.0, l.cell * 0.08)));
        painter.drawRect(QRectF(l.matrix.left(), l.matrix.top() + s.focus * l.cell, l.matrix.width(), l.cell));
        painter.setPen(QPen(kFocus, std::max(1.0, l.cell * 0.05), Qt::DashLine));
        painter.drawRect(QRectF(l.matrix.left() + s.focus * l.cell, l.matrix.top(), l.cell, l.matrix.height()));
    }
}

}  // namespace attnscope::ui
