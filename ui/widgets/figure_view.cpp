#include "widgets/figure_view.h"

#include "session/trace_result.h"

#include <QEvent>
#include <QKeyEvent>
#include <QPainter>

namespace attnscope::ui {

FigureView::FigureView(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    setMouseTracking(true);
    setMinimumSize(200, 160);
    setFocusPolicy(Qt::StrongFocus);
    m_style.font = font();
    m_style.text = palette().color(QPalette::WindowText);
    m_style.background = palette().color(QPalette::Base);
    connect(state, &ViewState::changed, this, qOverload<>(&QWidget::update));
    connect(state, &ViewState::focusChanged, this, qOverload<>(&QWidget::update));
}

void FigureView::setResult(AnalysisResultPtr result) {
    m_result = std::move(result);
    resultChanged();
    update();
}

void FigureView::setStyle(const FigureStyle& style) {
    m_style = style;
    update();
}

QString FigureView::unavailable() const { return m_result ? viewUnavailable(*m_result, figureName()) : QString(); }

QSizeF FigureView::preferredFigureSize() const { return QSizeF(width(), height()); }

void FigureView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!hasFigure()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        const QString why = unavailable();
        painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, why.isEmpty() ? placeholder() : why);
        return;
    }
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintFigure(painter, figureRect(), m_style);
}

void FigureView::leaveEvent(QEvent*) { m_state->setHoveredToken(-1); }

void FigureView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        m_style.font = font();
        m_style.text = palette().color(QPalette::WindowText);
        m_style.background = palette().color(QPalette::Base);
        update();
    }
    QWidget::changeEvent(event);
}

void FigureView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Right: m_state->setHead(m_state->head() + 1); break;
        case Qt::Key_Left: m_state->setHead(m_state->head() - 1); break;
        case Qt::Key_Down: m_state->setLayer(m_state->layer() + 1); break;
        case Qt::Key_Up: m_state->setLayer(m_state->layer() - 1); break;
        default: QWidget::keyPressEvent(event); return;
    }
}

}  // namespace attnscope::ui
