#pragma once

#include "render/qkv_painter.h"
#include "widgets/figure_view.h"

#include <QTimer>

#include <algorithm>

class QLabel;
class QPushButton;

namespace attnscope::ui {

// The computation of one head for one query token, step by step, starting at step 1. Keys:
// Right/Space next step, Left previous, Home/End first/last, Up/Down query token, P plays the
// steps as an animation; the wheel pages through the keys of a long input; hover shows values.
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
    // Time each step stays on screen while playing (default 1.4 s, a pace to talk over).
    int playInterval() const { return m_timer.interval(); }
    void setPlayInterval(int ms) { m_timer.setInterval(std::max(ms, 1)); }
    // Long inputs: the first key row of the page on screen; scrolling moves it (the wheel).
    int firstKey() const;
    void scrollKeys(int rows);
    // The figure as the screen draws it (a page of legible key rows), for hover and paging.
    QkvSpec spec(const FigureStyle& style) const;
    QRectF figureArea() const;

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;  // the value under the pointer
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void resultChanged() override;

private:
    void updateControls();
    void keepQueryInView();

    int m_stepIndex = 0;  // a class starts at step 1 and reveals the rest
    int m_firstKey = 0;
    int m_query = -1;  // used while no token is hovered or pinned
    QTimer m_timer;
    QPushButton* m_prev;
    QPushButton* m_play;
    QPushButton* m_next;
    QLabel* m_stepLabel;
};

}  // namespace attnscope::ui
