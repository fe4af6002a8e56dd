#include "widgets/heatmap_view.h"

#include <QMouseEvent>
#include <QToolTip>

#include <cmath>

namespace attnscope::ui {

void HeatmapView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    paintHeatmap(painter, rect, heatmapSpec(*m_result, *m_state, style, matrix));
}

QSizeF HeatmapView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(600, 400);
}

QString HeatmapView::cellText(const QPointF& pos) const {
    if (!m_result || !m_result->trace) return {};
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    const auto cell = heatmapCellAt(heatmapLayout(figureRect(), spec), spec.n, pos);
    if (!cell) return {};
    const int q = cell->y(), k = cell->x();
    if (spec.causal && k > q) return QStringLiteral("%1 → %2  masked (a decoder cannot see later tokens)").arg(spec.labels[q], spec.labels[k]);
    return QStringLiteral("%1 → %2  %3").arg(spec.labels[q], spec.labels[k]).arg(double(spec.values[q * spec.n + k]), 0, 'f', 4);
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    const auto cell = heatmapCellAt(heatmapLayout(figureRect(), spec), spec.n, event->position());
    m_state->setHoveredToken(cell ? cell->y() : -1);
    const QString text = cellText(event->position());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void HeatmapView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    const HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    const auto cell = heatmapCellAt(heatmapLayout(figureRect(), spec), spec.n, event->position());
    m_state->togglePinnedToken(cell ? cell->y() : -1);
}

}  // namespace attnscope::ui
