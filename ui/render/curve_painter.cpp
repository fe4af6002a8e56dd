#include "render/curve_painter.h"

#include <QFontMetricsF>
#include <QPainterPath>

#include <algorithm>

namespace attnscope::ui {

void paintCurves(QPainter& p, const QRectF& rect, const std::vector<CurveSeries>& series, double xMax, const QString& xLabel,
                 const QFont& font, const QColor& text) {
    const QFontMetricsF fm(font);
    p.setFont(font);
    const QRectF plot = rect.adjusted(fm.horizontalAdvance(QStringLiteral("0.00")) + 10, fm.height() * 1.6, -10, -fm.height() * 2);
    if (plot.width() < 20 || plot.height() < 20) return;
    p.setPen(QPen(text, 0.8));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignRight, xLabel);
    p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignLeft, QStringLiteral("0"));
    double legendX = plot.left();
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const CurveSeries& s : series) {
        double lo = s.yMin, hi = s.yMax;
        if (hi <= lo && !s.points.empty()) {
            lo = 0;
            hi = 0;
            for (const QPointF& q : s.points) hi = std::max(hi, q.y());
            hi = std::max(hi * 1.05, 1e-6);
        }
        auto map = [&](const QPointF& q) {
            return QPointF(plot.left() + plot.width() * q.x() / std::max(1.0, xMax),
                           plot.bottom() - plot.height() * (std::clamp(q.y(), lo, hi) - lo) / std::max(1e-9, hi - lo));
        };
        if (s.points.size() > 1) {
            QPainterPath path(map(s.points.front()));
            for (size_t i = 1; i < s.points.size(); ++i) path.lineTo(map(s.points[i]));
            p.setPen(QPen(s.color, 2));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
        p.setPen(s.color);
        const QString label = s.points.empty() ? s.name
                                               : QStringLiteral("%1 %2 (0–%3)").arg(s.name).arg(s.points.back().y(), 0, 'f', 3).arg(hi, 0, 'g', 3);
        p.drawText(QPointF(legendX, rect.top() + fm.ascent()), label);
        legendX += fm.horizontalAdvance(label) + 24;
    }
}

}  // namespace attnscope::ui
