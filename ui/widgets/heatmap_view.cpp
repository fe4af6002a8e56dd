#include "widgets/heatmap_view.h"

#include <QFontMetricsF>
#include <QKeyEvent>
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
    m_toPin = new QToolButton(this);
    m_toPin->setText(tr("Zoom to pin"));
    m_toPin->setToolTip(tr("Show the cells around the pinned token, large enough to label (Z)"));
    m_toPin->setObjectName(QStringLiteral("heatmapZoomToPin"));
    m_toPin->hide();
    connect(m_toPin, &QToolButton::clicked, this, [this] { zoomToToken(m_state->pinnedToken()); });
    connect(state, &ViewState::focusChanged, this, &HeatmapView::updateButtons);
}

void HeatmapView::resizeEvent(QResizeEvent*) { updateButtons(); }

void HeatmapView::placeButtons() {
    int x = width() - 10;
    for (QToolButton* b : {m_reset, m_toPin}) {
        if (b->isHidden()) continue;
        const QSize hint = b->sizeHint();
        x -= hint.width();
        b->setGeometry(x, 10, hint.width(), hint.height());
        b->raise();
        x -= 6;
    }
}

// "Zoom to pin" is offered while a token is pinned and the whole matrix is too small to label
// every cell; "Reset zoom" while zoomed.
void HeatmapView::updateButtons() {
    const bool thinned = m_result && m_result->trace && m_view.isEmpty() && screenLayout().labelStep > 1;
    m_reset->setVisible(!m_view.isEmpty());
    m_toPin->setVisible(thinned && m_state->pinnedToken() >= 0);
    placeButtons();
}

void HeatmapView::zoomToToken(int token) {
    if (!m_result || !m_result->trace || token < 0 || token >= m_result->trace->tokens()) return;
    const int n = m_result->trace->tokens();
    const HeatmapLayout whole = [&] {
        AttentionMatrix matrix;
        HeatmapSpec spec = baseSpec(m_style, matrix);
        return heatmapLayout(figureRect(), spec);
    }();
    const double side = whole.cell * n;
    // As many cells as get a label each (a little more than a line of text apiece).
    const double shown = std::clamp(std::floor(side / (QFontMetricsF(m_style.font).height() * 1.15)), std::min(8.0, double(n)), double(n));
    setView(QRectF(token + 0.5 - shown / 2, token + 0.5 - shown / 2, shown, shown));
}

void HeatmapView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Z && event->modifiers() == Qt::NoModifier && m_state->pinnedToken() >= 0) return zoomToToken(m_state->pinnedToken());
    FigureView::keyPressEvent(event);
}

HeatmapSpec HeatmapView::screenSpec(AttentionMatrix& matrix) const {
    HeatmapSpec spec = baseSpec(m_style, matrix);
    spec.view = m_view;
    return spec;
}

HeatmapSpec HeatmapView::baseSpec(const FigureStyle& style, AttentionMatrix& matrix) const {
    return heatmapSpec(*m_result, *m_state, style, matrix);
}

HeatmapLayout HeatmapView::screenLayout() const {
    AttentionMatrix matrix;
    return heatmapLayout(figureRect(), screenSpec(matrix));
}

void HeatmapView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    AttentionMatrix matrix;
    HeatmapSpec spec = baseSpec(style, matrix);
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
    updateButtons();
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
    if (!m_result || !m_result->trace || m_result->trace->tokens() < 24) resetZoom();
    else setView(m_view);  // clamped to the new matrix
    updateButtons();
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
    const HeatmapSpec spec = baseSpec(m_style, matrix);
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
