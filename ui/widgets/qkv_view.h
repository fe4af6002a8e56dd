#pragma once

#include "render/qkv_painter.h"
#include "widgets/figure_view.h"

#include <QTimer>

class QLabel;
class QPushButton;

namespace attnscope::ui {

// The computation of one head for one query token, step by step. Keys: Right/Space next step,
// Left previous, Home/End first/last, Up/Down query token, P plays the steps as an animation.
class QkvView : public FigureView {
    Q_OBJECT

public:
    QkvView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("qkv"); }

    // The model's steps (qkvSteps: with Rotate for rotary models) and the one shown.
    std::vector<QkvStep> steps() const;
    QkvStep step() const;
    void setStep(QkvStep step);  // a step the model does not take: the one before it
    // The shown step's place among the model's steps (what sessions store); kept when the model
    // changes, clamped to its steps.
    int stepIndex() const;
    void setStepIndex(int index);
    int query() const;
    void setQuery(int token);
    bool playing() const { return m_timer.isActive(); }
    void setPlaying(bool on);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void resultChanged() override;

private:
    QRectF figureArea() const;
    void updateControls();

    int m_stepIndex = kQkvMaxSteps - 1;  // the last step
    int m_query = -1;  // used while no token is hovered or pinned
    QTimer m_timer;
    QPushButton* m_prev;
    QPushButton* m_play;
    QPushButton* m_next;
    QLabel* m_stepLabel;
};

}  // namespace attnscope::ui
