#include "render/curve_painter.h"

#include <QFontMetricsF>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

std::vector<double> niceTicks(double lo, double hi, int most) {
    std::vector<double> ticks;
    if (!(hi > lo) || most < 2) return {lo, hi};
    const double rough = (hi - lo) / (most - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= rough) {
            step = m * magnitude;
            break;
        }
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

namespace {

// As many decimals as the step between ticks needs (0.25 -> 2, 0.5 -> 1, 200 -> 0).
QString tickText(double v, double step) {
    int decimals = 0;
    while (decimals < 4 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6) ++decimals;
    return QString::number(v, 'f', decimals);
}

double axisTop(const CurveSeries& s) {
    if (s.yMax > s.yMin) return s.yMax;
    double hi = 0;
    for (const QPointF& q : s.points) hi = std::max(hi, q.y());
    return std::max(hi * 1.05, 1e-6);
}

}  // namespace

void paintCurves(QPainter& p, const QRectF& rect, const std::vector<CurveSeries>& series, double xMax, const QString& xLabel,
                 const QFont& font, const QColor& text) {
    if (series.empty()) return;
    const QFontMetricsF fm(font);
    p.setFont(font);
    const std::vector<double> xTicks = niceTicks(0, std::max(1.0, xMax), std::max(2, int(rect.width() / (fm.horizontalAdvance(QStringLiteral("00000")) * 2))));
    // One plot per series, stacked, each with its own y axis; the x axis (steps) under the last.
    double yLabelW = 0;
    for (const CurveSeries& s : series) {
        const double hi = axisTop(s), lo = s.yMax > s.yMin ? s.yMin : 0;
        const std::vector<double> t = niceTicks(lo, hi, 5);
        for (double v : t) yLabelW = std::max(yLabelW, fm.horizontalAdvance(tickText(v, t.size() > 1 ? t[1] - t[0] : 1)));
    }
    const double left = rect.left() + yLabelW + 10, right = rect.right() - 10;
    const double xAxisH = fm.height() * 2.4;
    const double slot = (rect.height() - xAxisH) / double(series.size());
    QColor grid = text;
    grid.setAlphaF(0.15);
    const double xRange = std::max(1.0, xMax);
    for (size_t k = 0; k < series.size(); ++k) {
        const CurveSeries& s = series[k];
        const QRectF plot(left, rect.top() + k * slot + fm.height() * 1.5, right - left, slot - fm.height() * 2.1);
        if (plot.width() < 20 || plot.height() < 16) continue;
        const double hi = axisTop(s), lo = s.yMax > s.yMin ? s.yMin : 0;
        auto map = [&](const QPointF& q) {
            return QPointF(plot.left() + plot.width() * q.x() / xRange, plot.bottom() - plot.height() * (std::clamp(q.y(), lo, hi) - lo) / std::max(1e-9, hi - lo));
        };
        // The plot's name and current value, in its colour, above it.
        p.setPen(s.color);
        const QString title = s.points.empty() ? s.name : QStringLiteral("%1  %2").arg(s.name).arg(s.points.back().y(), 0, 'f', 3);
        p.drawText(QRectF(plot.left(), plot.top() - fm.height() * 1.4, plot.width(), fm.height() * 1.3), Qt::AlignLeft | Qt::AlignBottom, title);
        const std::vector<double> yTicks = niceTicks(lo, hi, std::clamp(int(plot.height() / (fm.height() * 1.6)), 2, 6));
        const double yStep = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : 1;
        for (double v : yTicks) {
            const double y = map(QPointF(0, v)).y();
            p.setPen(QPen(grid, 1));
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
            p.setPen(text);
            p.drawText(QRectF(rect.left(), y - fm.height() / 2, yLabelW + 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, tickText(v, yStep));
        }
        for (double v : xTicks) {
            const double x = map(QPointF(v, lo)).x();
            p.setPen(QPen(grid, 1));
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        }
        p.setPen(QPen(text, 0.8));
        p.drawLine(plot.bottomLeft(), plot.bottomRight());
        p.drawLine(plot.bottomLeft(), plot.topLeft());
        if (s.points.size() > 1) {
            p.save();
            p.setRenderHint(QPainter::Antialiasing, true);
            QPainterPath path(map(s.points.front()));
            for (size_t i = 1; i < s.points.size(); ++i) path.lineTo(map(s.points[i]));
            p.setPen(QPen(s.color, 2));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            p.restore();
        }
        if (k + 1 == series.size()) {  // the shared x axis: ticks and its name
            p.setPen(text);
            const double xStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : 1;
            for (double v : xTicks) {
                const double x = map(QPointF(v, lo)).x();
                const QString label = tickText(v, std::max(1.0, xStep));
                const double w = fm.horizontalAdvance(label) + 4;
                p.drawText(QRectF(std::clamp(x - w / 2, rect.left(), rect.right() - w), plot.bottom() + 3, w, fm.height()), Qt::AlignCenter, label);
            }
            p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() * 1.2, plot.width(), fm.height()), Qt::AlignHCenter, xLabel);
        }
    }
}

}  // namespace attnscope::ui
