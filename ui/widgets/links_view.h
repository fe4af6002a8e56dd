#pragma once

#include "widgets/figure_view.h"

namespace attnscope::ui {

// BertViz's head view: queries left, keys right, a line per pair with opacity = weight.
class LinksView : public FigureView {
    Q_OBJECT

public:
    using FigureView::FigureView;
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("links"); }

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    bool m_focusIsKey = false;
};

}  // namespace attnscope::ui
