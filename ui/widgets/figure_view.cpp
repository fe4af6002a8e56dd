#include "widgets/figure_view.h"

#include <QPainter>

namespace attnscope::ui {

FigureView::FigureView(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    setMouseTracking(true);
    setMinimumSize(200, 160);
    m_style.font = font();
    m_style.text = palette().color(QPalette::WindowText);
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

QSizeF FigureView::preferredFigureSize() const { return QSizeF(width(), height()); }

void FigureView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_result || !m_result->trace) return;
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintFigure(painter, figureRect(), m_style);
}

void FigureView::leaveEvent(QEvent*) { m_state->setHoveredToken(-1); }

}  // namespace attnscope::ui
