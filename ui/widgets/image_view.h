#pragma once

#include "widgets/figure_view.h"

namespace attnscope::ui {

// The picture with its patch grid and the overlay chosen in the ViewState's image options. Hover a
// patch to see where it attends, click to pin it (click again or Esc to go back to [CLS]); in the
// heads overlay, click a head to focus it.
class ImageView : public FigureView {
    Q_OBJECT

public:
    explicit ImageView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("image"); }

Q_SIGNALS:
    void headActivated(int layer, int head);

protected:
    QString placeholder() const override {
        return tr("Drop an image on the window, open one (Ctrl+I) or pick one of the examples.");
    }
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resultChanged() override { m_rollout = RolloutCache{}; }  // a new trace may reuse the old one's address

private:
    ImageSpec spec(const FigureStyle& style) const { return imageSpec(*m_result, *m_state, style, &m_rollout); }
    mutable RolloutCache m_rollout;  // the trace it belongs to is kept alive by m_result
};

}  // namespace attnscope::ui
