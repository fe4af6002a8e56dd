#include "widgets/heatmap_view.h"

#include <QMouseEvent>
#include <QToolButton>
#include <QWheelEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

HeatmapView::HeatmapView(ViewState* state, QWidget* parent) : FigureView(state, parent) {
    m_reset = new QToolButton(this);
    m_reset->setText(tr("Reset zoom"));
    m_reset->setToolTip(tr("Show the whole matrix again (double-click, or View > Reset Heatmap Zoom, Ctrl+0)"));
    m_reset->setObjectName(QStringLiteral("heatmapResetZoom"));
    m_reset->hide();
    connect(m_reset, &QToolButton::clicked, this, &HeatmapView::resetZoom);
}

void HeatmapView::resizeEvent(QResizeEvent*) {
    const QSize hint = m_reset->sizeHint();
    m_reset->setGeometry(width() - hint.width() - 10, 10, hint.width(), hint.height());
}

HeatmapSpec HeatmapView::screenSpec(AttentionMatrix& matrix) const {
    HeatmapSpec spec = heatmapSpec(*m_result, *m_state, m_style, matrix);
    spec.view = m_view;
    return spec;
}

HeatmapLayout HeatmapView::screenLayout() const {
    AttentionMatrix matrix;
    return heatmapLayout(figureRect(), screenSpec(matrix));
}

void HeatmapView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    HeatmapSpec spec = heatmapSpec(*m_result, *m_state, style, matrix);
    if (painter.device() == this) spec.view = m_view;  // exports draw the whole matrix
    paintHeatmap(painter, rect, spec);
}

double HeatmapView::zoom() const {
    if (m_view.isEmpty() || !m_result || !m_result->trace) return 1.0;
    return m_result->trace->tokens() / std::max(m_view.width(), m_view.height());
}

void HeatmapView::setView(const QRectF& cells) {
    const int n = m_result && m_result->trace ? m_result->trace->tokens() : 0;
    QRectF v = cells;
    if (n <= 0 || v.width() >= n - 1e-9) {
        v = QRectF();
    } else {
        v.moveLeft(std::clamp(v.left(), 0.0, n - v.width()));
        v.moveTop(std::clamp(v.top(), 0.0, n - v.height()));
    }
    if (v == m_view) return;
    m_view = v;
    m_reset->setVisible(!m_view.isEmpty());
    m_reset->raise();
    update();
}

void HeatmapView::zoomAt(double factor, const QPointF& anchor) {
    if (!m_result || !m_result->trace) return;
    const int n = m_result->trace->tokens();
    const HeatmapLayout l = screenLayout();
    if (l.cell <= 0) return;
    const double side = l.cell * std::max(l.view.width(), l.view.height());
    const double shown = std::clamp(std::max(l.view.width(), l.view.height()) / factor, std::min<double>(n, 3.0), double(n));
    // The cell under the anchor stays under it.
    const QPointF at((anchor.x() - l.origin.x()) / l.cell, (anchor.y() - l.origin.y()) / l.cell);
    const double cell = side / shown;
    setView(QRectF(at.x() - (anchor.x() - l.matrix.left()) / cell, at.y() - (anchor.y() - l.matrix.top()) / cell, shown, shown));
}

void HeatmapView::resetZoom() { setView(QRectF()); }

void HeatmapView::resultChanged() {
    if (!m_result || !m_result->trace || m_result->trace->tokens() < 24) return resetZoom();
    setView(m_view);  // clamped to the new matrix
}

std::optional<QPoint> HeatmapView::cellAt(const QPointF& pos) const {
    if (!m_result || !m_result->trace || !figureRect().contains(pos)) return std::nullopt;
    AttentionMatrix matrix;
    const HeatmapSpec spec = screenSpec(matrix);
    return heatmapCellAt(heatmapLayout(figureRect(), spec), spec.n, pos);
}

void HeatmapView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAt(std::pow(1.25, steps), event->position());
    event->accept();
}

void HeatmapView::mouseReleaseEvent(QMouseEvent* event) {
    // A click, not a drag (even one that came back to where it started): pin the row's token.
    if (m_pressed && !m_dragging && event->button() == Qt::LeftButton) {
        const auto cell = cellAt(event->position());
        m_state->togglePinnedToken(cell ? cell->y() : -1);
    }
    m_pressed = false;
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
    if (m_pressed && (event->buttons() & Qt::LeftButton)) {
        if (!m_dragging && (event->position() - m_pressPos).manhattanLength() > 4) {
            m_dragging = true;
            if (!m_view.isEmpty()) setCursor(Qt::ClosedHandCursor);
        }
        if (m_dragging) {
            if (!m_pressView.isEmpty()) {  // zoomed: the cells follow the pointer
                const double cell = screenLayout().cell;
                const QPointF moved = (event->position() - m_pressPos) / std::max(cell, 1e-9);
                setView(m_pressView.translated(-moved));
            }
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
    m_pressView = m_view;
    m_pressed = event->button() == Qt::LeftButton;
    m_dragging = false;
}

}  // namespace attnscope::ui
