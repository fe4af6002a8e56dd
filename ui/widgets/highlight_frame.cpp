#include "widgets/highlight_frame.h"

#include <QEvent>
#include <QPainter>

namespace attnscope::ui {

HighlightFrame::HighlightFrame(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
}

void HighlightFrame::setTarget(QWidget* target) {
    if (m_target) m_target->removeEventFilter(this);
    m_target = target;
    if (!target) return hide();
    setParent(target);  // drawn over it, clipped to it
    target->installEventFilter(this);
    follow();
    show();
    raise();
}

void HighlightFrame::follow() {
    if (m_target) setGeometry(m_target->rect());
}

bool HighlightFrame::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_target && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) {
        follow();
        raise();
    }
    return QWidget::eventFilter(watched, event);
}

void HighlightFrame::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const double w = std::max(3.0, fontMetrics().height() * 0.22);
    p.setPen(QPen(QColor(240, 150, 20), w));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(rect()).adjusted(w / 2, w / 2, -w / 2, -w / 2), 8, 8);
}

}  // namespace attnscope::ui
