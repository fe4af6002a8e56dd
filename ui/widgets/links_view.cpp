#include "widgets/links_view.h"

#include <QMouseEvent>

namespace attnscope::ui {

void LinksView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    LinksSpec spec = linksSpec(*m_result, *m_state, style, matrix);
    spec.focusIsKey = m_focusIsKey;
    paintLinks(painter, rect, spec);
}

QSizeF LinksView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(600, 400);
}

void LinksView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const LinksSpec spec = linksSpec(*m_result, *m_state, m_style, matrix);
    const auto hit = linksTokenAt(linksLayout(figureRect(), spec), spec.n, event->position());
    if (hit && m_state->pinnedToken() < 0) m_focusIsKey = hit->side == LinkSide::Key;
    m_state->setHoveredToken(hit ? hit->token : -1);
    update();
}

void LinksView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const LinksSpec spec = linksSpec(*m_result, *m_state, m_style, matrix);
    const auto hit = linksTokenAt(linksLayout(figureRect(), spec), spec.n, event->position());
    if (hit) m_focusIsKey = hit->side == LinkSide::Key;
    m_state->togglePinnedToken(hit ? hit->token : -1);
}

}  // namespace attnscope::ui
