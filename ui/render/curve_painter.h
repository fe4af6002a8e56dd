#pragma once

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <vector>

namespace attnscope::ui {

// Training curves: each series its own plot, stacked, with its own y axis (ticks and grid) over
// the shared x axis (steps), so a loss near 6 and an accuracy in 0..1 both read.
struct CurveSeries {
    QString name;
    QColor color;
    std::vector<QPointF> points;
    double yMin = 0, yMax = 1;  // the axis range; yMax <= yMin means "fit the data"
};

// Round tick values covering [lo, hi], at most about `most` of them (1, 2, 2.5, 5 x 10^k apart).
std::vector<double> niceTicks(double lo, double hi, int most);

void paintCurves(QPainter& painter, const QRectF& rect, const std::vector<CurveSeries>& series, double xMax,
                 const QString& xLabel, const QFont& font, const QColor& text);

}  // namespace attnscope::ui
