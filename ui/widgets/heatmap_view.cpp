#include "widgets/heatmap_view.h"

#include <QMouseEvent>
#include <QWheelEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

void HeatmapView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const bool screen = painter.device() == this;
    painter.save();
    if (screen) painter.setClipRect(rect);
    paintHeatmap(painter, screen ? layoutRect() : rect, heatmapSpec(*m_result, *m_state, style, matrix));
    painter.restore();
}

QRectF HeatmapView::layoutRect() const {
    const QRectF fit = figureRect();
    return QRectF(fit.topLeft() + m_pan, fit.size() * m_zoom);
}

void HeatmapView::zoomAt(double factor, const QPointF& anchor) {
    const double zoom = std::clamp(m_zoom * factor, 1.0, 24.0);
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    // Keep the matrix point under the anchor fixed (label gutters do not scale with the zoom).
    const QRectF before = heatmapLayout(layoutRect(), spec).matrix;
    const QPointF rel((anchor.x() - before.left()) / before.width(), (anchor.y() - before.top()) / before.height());
    m_zoom = zoom;
    const QRectF fit = figureRect();
    const QRectF after = heatmapLayout(QRectF(fit.topLeft(), fit.size() * zoom), spec).matrix;
    m_pan = anchor - QPointF(after.left() + rel.x() * after.width(), after.top() + rel.y() * after.height());
    clampPan();
    update();
}

void HeatmapView::resetZoom() {
    m_zoom = 1.0;
    m_pan = QPointF();
    update();
}

void HeatmapView::clampPan() {
    const QRectF fit = figureRect();
    const double maxX = 0, minX = fit.width() - fit.width() * m_zoom;
    const double maxY = 0, minY = fit.height() - fit.height() * m_zoom;
    m_pan = QPointF(std::clamp(m_pan.x(), minX, maxX), std::clamp(m_pan.y(), minY, maxY));
}

void HeatmapView::resultChanged() {
    if (m_result && m_result->trace && m_result->trace->tokens() < 24) resetZoom();
}

std::optional<QPoint> HeatmapView::cellAt(const QPointF& pos) const {
    if (!m_result || !m_result->trace || !figureRect().contains(pos)) return std::nullopt;
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    return heatmapCellAt(heatmapLayout(layoutRect(), spec), spec.n, pos);
}

void HeatmapView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAt(std::pow(1.25, steps), event->position());
    event->accept();
}

void HeatmapView::mouseReleaseEvent(QMouseEvent* event) {
    if (!m_dragging && event->button() == Qt::LeftButton) {  // a click, not a drag: pin the row's token
        const auto cell = cellAt(event->position());
        m_state->togglePinnedToken(cell ? cell->y() : -1);
    }
    m_dragging = false;
    unsetCursor();
}

void HeatmapView::mouseDoubleClickEvent(QMouseEvent*) { resetZoom(); }

QSizeF HeatmapView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(600, 400);
}

QString HeatmapView::cellText(const QPointF& pos) const {
    const auto cell = cellAt(pos);
    if (!cell) return {};
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    const int q = cell->y(), k = cell->x();
    if (spec.causal && k > q) return QStringLiteral("%1 → %2  masked (a decoder cannot see later tokens)").arg(spec.labels[q], spec.labels[k]);
    return QStringLiteral("%1 → %2  %3").arg(spec.labels[q], spec.labels[k]).arg(double(spec.values[q * spec.n + k]), 0, 'f', 4);
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    if (event->buttons() & Qt::LeftButton && m_zoom > 1.0) {
        if (!m_dragging && (event->position() - m_pressPos).manhattanLength() > 4) {
            m_dragging = true;
            setCursor(Qt::ClosedHandCursor);
        }
        if (m_dragging) {
            m_pan = m_pressPan + (event->position() - m_pressPos);
            clampPan();
            update();
            return;
        }
    }
    const auto cell = cellAt(event->position());
    m_state->setHoveredToken(cell ? cell->y() : -1);
    const QString text = cellText(event->position());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void HeatmapView::mousePressEvent(QMouseEvent* event) {
    setFocus();
    m_pressPos = event->position();
    m_pressPan = m_pan;
    m_dragging = false;
}

}  // namespace attnscope::ui
