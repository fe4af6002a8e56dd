#include "widgets/compare_view.h"

#include "render/compare_spec.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

CompareView::CompareView(ViewState* state, QWidget* parent) : FigureView(state, parent) { setMouseTracking(true); }

void CompareView::setComparison(std::shared_ptr<const core::Comparison> comparison) {
    m_comparison = std::move(comparison);
    update();
}

void CompareView::setMessage(const QString& message) {
    m_message = message;
    update();
}

QString CompareView::placeholder() const {
    return m_message.isEmpty() ? tr("Type a second sentence above (or load the tired / wide pair) to see how one head's attention changes.")
                               : m_message;
}

void CompareView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_comparison) return;
    HeatmapSpec spec = comparisonSpec(*m_comparison, style.font, style.text);
    spec.vectorCells = style.vector;
    // The pinned token of input A outlined where it stands in the alignment.
    const auto& rows = m_comparison->alignment.a;
    if (const auto at = std::find(rows.begin(), rows.end(), m_state->pinnedToken()); m_state->pinnedToken() >= 0 && at != rows.end())
        spec.focus = int(at - rows.begin());
    paintHeatmap(painter, rect, spec);
}

QSizeF CompareView::preferredFigureSize() const {
    const double m = m_comparison ? m_comparison->size() : 10;
    const double side = std::clamp(m * 18.0, 300.0, 1600.0);
    return QSizeF(side + 190, side + 150);
}

QString CompareView::cellText(const QPointF& pos) const {
    if (!m_comparison) return {};
    const core::Comparison& c = *m_comparison;
    const HeatmapSpec spec = comparisonSpec(c, m_style.font, m_style.text);
    const auto cell = heatmapCellAt(heatmapLayout(figureRect(), spec), spec.n, pos);
    if (!cell) return {};
    const int r = cell->y(), k = cell->x();
    const QString pair = QStringLiteral("%1 → %2").arg(c.label(r), c.label(k));
    if (!c.alignment.matched(r) || !c.alignment.matched(k)) return tr("%1: only in one input").arg(pair);
    const int na = int(c.tokensA.size()), nb = int(c.tokensB.size());
    const float a = c.a[size_t(c.alignment.a[size_t(r)] * na + c.alignment.a[size_t(k)])];
    const float b = c.b[size_t(c.alignment.b[size_t(r)] * nb + c.alignment.b[size_t(k)])];
    return QStringLiteral("%1: %2 → %3 (%4%5)").arg(pair).arg(double(a), 0, 'f', 3).arg(double(b), 0, 'f', 3)
        .arg(b >= a ? QStringLiteral("+") : QStringLiteral("−")).arg(std::fabs(double(b - a)), 0, 'f', 3);
}

void CompareView::mouseMoveEvent(QMouseEvent* event) {
    const QString text = cellText(event->position());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), text, this);
    FigureView::mouseMoveEvent(event);
}

}  // namespace attnscope::ui
