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
    const int n = m_result && m_result->trace ? m_result->trace->tokens() : 10;
    return QSizeF(520, std::clamp(n * 20.0 + 60, 240.0, 2400.0));
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
