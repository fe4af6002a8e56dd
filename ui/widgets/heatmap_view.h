#pragma once

#include "widgets/figure_view.h"

namespace attnscope::ui {

// The n x n attention matrix of the selected layer and head (or their mean), with labelled axes,
// a colour bar and the exact value of the cell under the mouse.
class HeatmapView : public FigureView {
    Q_OBJECT

public:
    using FigureView::FigureView;
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("heatmap"); }
    // Text shown for the cell under a widget position ("it → animal  0.4123"), empty if none.
    QString cellText(const QPointF& pos) const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
};

}  // namespace attnscope::ui
