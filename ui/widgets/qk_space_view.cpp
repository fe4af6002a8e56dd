#include "widgets/qk_space_view.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPointer>
#include <QThreadPool>
#include <QToolTip>

namespace attnscope::ui {

QkSpaceView::QkSpaceView(ViewState* state, QWidget* parent) : FigureView(state, parent) {
    setMouseTracking(true);
    connect(m_state, &ViewState::changed, this, &QkSpaceView::ensureProjection);
}

QkSpaceView::~QkSpaceView() {
    if (m_cancel) m_cancel->store(true);
}

void QkSpaceView::resultChanged() { ensureProjection(); }

void QkSpaceView::showEvent(QShowEvent* event) {
    FigureView::showEvent(event);
    ensureProjection();
}

bool QkSpaceView::hasFigure() const {
    return m_result && m_result->trace && unavailable().isEmpty() && m_cache.matches(m_result->trace.get(), m_state->layer(), m_state->head(), m_state->qkProjection());
}

QString QkSpaceView::placeholder() const {
    if (!m_error.isEmpty()) return m_error;
    if (m_computing) return tr("Computing the t-SNE of %1 points…").arg(m_result ? 2 * m_result->trace->tokens() : 0);
    return FigureView::placeholder();
}

void QkSpaceView::ensureProjection() {
    if (!m_result || !m_result->trace || !isVisible() || !unavailable().isEmpty()) return;
    const core::AttentionTrace* trace = m_result->trace.get();
    const int layer = m_state->layer(), head = m_state->head();
    const QkProjection method = m_state->qkProjection();
    if (m_cache.matches(trace, layer, head, method)) return;
    if (m_cancel) m_cancel->store(true);  // a stale t-SNE stops at its next iteration
    m_error.clear();
    const quint64 request = ++m_request;
    if (method == QkProjection::Pca) {  // milliseconds: at once
        m_computing = false;
        auto points = projectQueryKeys(*trace, layer, head, method);
        m_cache = {trace, layer, head, method, points ? *points : std::vector<float>()};
        if (!points) m_error = points.error().message;
        update();
        Q_EMIT projected();
        return;
    }
    m_computing = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    update();
    QPointer<QkSpaceView> self(this);
    auto keep = m_result->trace;  // alive while the worker reads it
    QThreadPool::globalInstance()->start([self, keep, layer, head, method, request, cancel = m_cancel] {
        auto points = projectQueryKeys(*keep, layer, head, method, cancel.get());
        QMetaObject::invokeMethod(qApp, [self, keep, layer, head, method, request, points] {
            if (!self || request != self->m_request) return;
            self->m_computing = false;
            if (points) self->m_cache = {keep.get(), layer, head, method, *points};
            else self->m_error = tr("No t-SNE: %1.").arg(points.error().message);
            self->update();
            Q_EMIT self->projected();
        });
    });
}

void QkSpaceView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!hasFigure()) return;
    core::HeadMatrices keep;
    QkSpaceSpec spec = qkSpaceSpec(*m_result, *m_state, style, m_cache.points, keep);
    if (painter.device() == this) spec.hoveredPoint = m_hoveredPoint;
    paintQkSpace(painter, rect, spec);
}

int QkSpaceView::pointAt(const QPointF& pos) const {
    if (!hasFigure()) return -1;
    core::HeadMatrices keep;
    const QkSpaceSpec spec = qkSpaceSpec(*m_result, *m_state, m_style, m_cache.points, keep);
    return qkPointAt(qkSpaceLayout(figureRect(), spec), pos, 9);
}

void QkSpaceView::mouseMoveEvent(QMouseEvent* event) {
    const int point = pointAt(event->position());
    if (point != m_hoveredPoint) {
        m_hoveredPoint = point;
        update();
    }
    const int n = m_result && m_result->trace ? m_result->trace->tokens() : 0;
    if (point < 0) {
        QToolTip::hideText();
        m_state->setHoveredToken(-1);
        return;
    }
    const int token = point % n;
    m_state->setHoveredToken(token);
    QToolTip::showText(event->globalPosition().toPoint(),
                       (point < n ? tr("query of “%1” (#%2)") : tr("key of “%1” (#%2)")).arg(m_result->labels.value(token)).arg(token), this);
}

void QkSpaceView::mousePressEvent(QMouseEvent* event) {
    const int point = pointAt(event->position());
    if (point >= 0) m_state->togglePinnedToken(point % m_result->trace->tokens());
    FigureView::mousePressEvent(event);
}

}  // namespace attnscope::ui
