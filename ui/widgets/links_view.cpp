#include "widgets/links_view.h"

#include "render/links_painter.h"
#include "render/view_specs.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

namespace attnscope::ui {
namespace {
QString hiddenKey(const QList<int>& hidden) {
    QStringList parts;
    for (int h : hidden) parts << QString::number(h);
    return parts.join(QLatin1Char(','));
}
}  // namespace

LinksView::LinksView(ViewState* state, QWidget* parent) : FigureView(state, parent) {
    connect(state, &ViewState::focusChanged, this, [this] {  // a new pin: the window goes to it
        if (m_state->pinnedToken() == m_pinned) return;
        m_pinned = m_state->pinnedToken();
        if (m_pinned >= 0) m_windowFirst = -1;
    });
}

void LinksView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    LinksSpec spec = linksSpec(*m_result, *m_state, style, matrix);
    spec.windowFirst = m_windowFirst;
    const bool screen = painter.device() == this;
    spec.fastLines = screen;
    if (!screen || spec.focus >= 0) return paintLinks(painter, rect, spec);

    const qreal dpr = devicePixelRatioF();
    const QString key = QStringLiteral("%1/%2/%3/%4/%5/%6x%7/%8/%9/%10/%11")
                            .arg(quintptr(m_result.get()))
                            .arg(m_state->layer())
                            .arg(m_state->head())
                            .arg(int(m_state->headMode()) * 2 + int(m_state->linkDirection()))
                            .arg(double(m_state->threshold()))
                            .arg(rect.width())
                            .arg(rect.height())
                            .arg(style.font.toString(), style.text.name())
                            .arg(linksLayout(rect, spec).first)
                            .arg(hiddenKey(m_state->hiddenHeads()));
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

LinksSpec LinksView::screenSpec() const {
    AttentionMatrix matrix;  // the layout needs no weights: the spec's pointers are not followed
    LinksSpec spec = linksSpec(*m_result, *m_state, m_style, matrix);
    spec.windowFirst = m_windowFirst;
    spec.heads.clear();
    spec.fetch = nullptr;
    spec.fetchFocus = nullptr;
    return spec;
}

LinksLayout LinksView::screenLayout() const { return linksLayout(figureRect(), screenSpec()); }

int LinksView::windowFirst() const { return m_result && m_result->trace ? screenLayout().first : 0; }

void LinksView::setWindowFirst(int row) {
    m_windowFirst = row < 0 ? -1 : row;
    update();
}

void LinksView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const LinksSpec spec = screenSpec();
    const LinksLayout layout = linksLayout(figureRect(), spec);
    if (const auto head = linksLegendAt(layout, event->position())) {
        m_state->setHoveredToken(-1);
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("Head %1 (%2): click to switch it on or off, double-click to show it alone")
                               .arg(*head)
                               .arg(m_state->isHeadShown(*head) ? tr("shown") : tr("hidden")),
                           this);
        return;
    }
    const auto hit = linksTokenAt(layout, spec.n, event->position());
    m_state->setHoveredToken(hit ? hit->token : -1);
    update();
}

void LinksView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const LinksSpec spec = screenSpec();
    const LinksLayout layout = linksLayout(figureRect(), spec);
    if (const auto head = linksLegendAt(layout, event->position())) return m_state->toggleHead(*head);
    const auto hit = linksTokenAt(layout, spec.n, event->position());
    m_state->togglePinnedToken(hit ? hit->token : -1);
}

void LinksView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const LinksLayout layout = screenLayout();
    if (const auto head = linksLegendAt(layout, event->position())) {
        // The press before this double-click toggled the head: undo that, then show it alone.
        m_state->toggleHead(*head);
        m_state->soloHead(*head);
        return;
    }
    mousePressEvent(event);
}

void LinksView::wheelEvent(QWheelEvent* event) {
    if (!m_result || !m_result->trace) return FigureView::wheelEvent(event);
    const LinksLayout layout = screenLayout();
    if (!layout.windowed()) return FigureView::wheelEvent(event);
    const int notches = event->angleDelta().y() / 40;  // three rows a notch
    if (notches == 0) return;
    m_windowFirst = std::clamp(layout.first - notches, 0, layout.n - layout.count);
    m_state->setHoveredToken(-1);
    update();
    event->accept();
}

}  // namespace attnscope::ui
