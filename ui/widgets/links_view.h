#pragma once

#include "widgets/figure_view.h"

#include <QImage>

namespace attnscope::ui {

// BertViz's head view: queries left, keys right, a line per pair drawn by its weight. Which lines
// the focus token shows (what it attends to, or who attends to it) is the state's linkDirection.
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
    // The picture without a focus token, kept until the result, selection or size changes
    // (hovering in and out of tokens then costs a blit instead of n^2 lines).
    mutable QImage m_cache;
    mutable QString m_cacheKey;
};

}  // namespace attnscope::ui
