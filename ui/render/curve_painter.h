#pragma once

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <vector>

namespace attnscope::ui {

// Training curves: each series is (x, y) points drawn against shared x and its own y range.
struct CurveSeries {
    QString name;
    QColor color;
    std::vector<QPointF> points;
    double yMin = 0, yMax = 1;  // the axis range; yMax <= yMin means "fit the data"
};

void paintCurves(QPainter& painter, const QRectF& rect, const std::vector<CurveSeries>& series, double xMax,
                 const QString& xLabel, const QFont& font, const QColor& text);

}  // namespace attnscope::ui
