#pragma once

#include "widgets/figure_view.h"

#include <QImage>

namespace attnscope::ui {

struct LinksLayout;
struct LinksSpec;

// BertViz's head view: queries left, keys right, a line per pair drawn by its weight. Which lines
// the focus token shows (what it attends to, or who attends to it) is the state's linkDirection.
// A long text keeps a readable window of rows (centred on the pinned token, scrolled by the wheel);
// in "All heads" a legend of coloured squares switches heads on and off (double-click: that head
// alone, again: all).
class LinksView : public FigureView {
    Q_OBJECT

public:
    explicit LinksView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("links"); }
    // The window's first row as drawn now (0 when every row fits).
    int windowFirst() const;
    // Scrolls the window to start at `row` (clamped when drawn); -1 centres it on the pinned token.
    void setWindowFirst(int row);

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    LinksSpec screenSpec() const;
    LinksLayout screenLayout() const;

    int m_windowFirst = -1;
    int m_pinned = -1;  // the pin the window last followed
    // The picture without a focus token, kept until the result, selection or size changes
    // (hovering in and out of tokens then costs a blit instead of n^2 lines).
    mutable QImage m_cache;
    mutable QString m_cacheKey;
};

}  // namespace attnscope::ui
