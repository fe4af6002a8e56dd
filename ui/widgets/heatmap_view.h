#pragma once

#include "widgets/figure_view.h"

#include <optional>

class QToolButton;

namespace attnscope::ui {

// The n x n attention matrix of the selected layer and head (or their mean), with labelled axes,
// a colour bar and the exact value of the cell under the mouse.
class HeatmapView : public FigureView {
    Q_OBJECT

public:
    explicit HeatmapView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("heatmap"); }
    // Text shown for the cell under a widget position ("it → animal  0.4123"), empty if none.
    QString cellText(const QPointF& pos) const;

    // Zoom (1 = all cells) about a widget point, and pan by dragging. Zoomed, fewer cells are shown
    // larger while the labels and the colour bar stay where they are; the "Reset zoom" button (or
    // a double-click, or View > Reset Heatmap Zoom) shows all again.
    double zoom() const;
    void zoomAt(double factor, const QPointF& anchor);
    void resetZoom();
    // A long text: a window of readable cells centred on the token's diagonal cell (its row's
    // neighbourhood), labels and colour bar in place; the "Zoom to pin" button and the Z key do
    // this for the pinned token.
    void zoomToToken(int token);
    QRectF viewCells() const { return m_view; }  // the cells shown (x keys, y queries); empty: all
    // The spec drawn on screen (with the zoomed view) and its layout.
    HeatmapSpec screenSpec(AttentionMatrix& matrix) const;
    HeatmapLayout screenLayout() const;

protected:
    // The whole matrix's spec for a style (the aggregate view shows another matrix the same way).
    virtual HeatmapSpec baseSpec(const FigureStyle& style, AttentionMatrix& matrix) const;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resultChanged() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    std::optional<QPoint> cellAt(const QPointF& pos) const;
    void setView(const QRectF& cells);  // clamped to the matrix; a whole matrix is stored as empty
    void updateButtons();
    void placeButtons();

    QRectF m_view;               // the cells shown; empty: all
    QPointF m_pressPos;
    QRectF m_pressView;
    bool m_pressed = false;
    bool m_dragging = false;     // moved while pressed: a pan, never a pin
    QToolButton* m_reset;
    QToolButton* m_toPin;
};

}  // namespace attnscope::ui
