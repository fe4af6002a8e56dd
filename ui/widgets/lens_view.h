#pragma once

#include "widgets/figure_view.h"

namespace attnscope::ui {

// The logit lens (core/analysis/logit_lens): what each layer would predict at every token if the
// model stopped there. Hover a cell for its top tokens and probabilities; click a column to pin
// its token. The window asks the session for the lens while this view is shown.
class LensView : public FigureView {
    Q_OBJECT

public:
    explicit LensView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("lens"); }
    bool hasFigure() const override { return m_result && m_result->lens; }
    // "layer 3 at “it”: animal 41% · road 22% ..." for the cell under a widget point, or empty.
    QString cellText(const QPointF& pos) const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    QString placeholder() const override;
};

}  // namespace attnscope::ui
