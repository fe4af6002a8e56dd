#include "widgets/links_view.h"

#include <QMouseEvent>

namespace attnscope::ui {

void LinksView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    LinksSpec spec = linksSpec(*m_result, *m_state, style, matrix);
    const bool screen = painter.device() == this;
    spec.fastLines = screen;
    if (!screen || spec.focus >= 0) return paintLinks(painter, rect, spec);

    const qreal dpr = devicePixelRatioF();
    const QString key = QStringLiteral("%1/%2/%3/%4/%5/%6x%7/%8/%9")
                            .arg(quintptr(m_result.get()))
                            .arg(m_state->layer())
                            .arg(m_state->head())
                            .arg(int(m_state->headMode()) * 2 + int(m_state->linkDirection()))
                            .arg(double(m_state->threshold()))
                            .arg(rect.width())
                            .arg(rect.height())
                            .arg(style.font.toString(), style.text.name());
    if (key != m_cacheKey) {
        m_cache = QImage((rect.size() * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(dpr);
        m_cache.fill(Qt::transparent);
        QPainter p(&m_cache);
        p.setRenderHint(QPainter::TextAntialiasing);
        paintLinks(p, QRectF(QPointF(0, 0), rect.size()), spec);
        m_cacheKey = key;
    }
    painter.drawImage(rect.topLeft(), m_cache);
}

QSizeF LinksView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(600, 400);
}

void LinksView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const LinksSpec spec = linksSpec(*m_result, *m_state, m_style, matrix);
    const auto hit = linksTokenAt(linksLayout(figureRect(), spec), spec.n, event->position());
    m_state->setHoveredToken(hit ? hit->token : -1);
    update();
}

void LinksView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const LinksSpec spec = linksSpec(*m_result, *m_state, m_style, matrix);
    const auto hit = linksTokenAt(linksLayout(figureRect(), spec), spec.n, event->position());
    m_state->togglePinnedToken(hit ? hit->token : -1);
}

}  // namespace attnscope::ui
