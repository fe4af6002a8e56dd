#pragma once

#include "widgets/figure_view.h"

#include <optional>

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

    // Zoom (1 = fit) about a widget point, and pan; double-click resets.
    double zoom() const { return m_zoom; }
    void zoomAt(double factor, const QPointF& anchor);
    void resetZoom();
    // Where the figure is laid out on screen: the fitted rectangle, scaled and panned.
    QRectF layoutRect() const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resultChanged() override;

private:
    std::optional<QPoint> cellAt(const QPointF& pos) const;
    void clampPan();

    double m_zoom = 1.0;
    QPointF m_pan;               // offset of the zoomed figure from the fitted one
    QPointF m_pressPos;
    QPointF m_pressPan;
    bool m_dragging = false;
};

}  // namespace attnscope::ui
