#pragma once

#include <QPointer>
#include <QWidget>

namespace attnscope::ui {

// A thick rounded outline laid over another widget (the one a lesson step talks about). It follows
// the widget's size, lets the mouse through, and moves to another widget with setTarget.
class HighlightFrame : public QWidget {
    Q_OBJECT

public:
    explicit HighlightFrame(QWidget* parent = nullptr);
    void setTarget(QWidget* target);  // nullptr hides it
    QWidget* target() const { return m_target; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void follow();
    QPointer<QWidget> m_target;
};

}  // namespace attnscope::ui
