#include "widgets/qkv_view.h"

#include <QHBoxLayout>

#include <algorithm>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolTip>
#include <QWheelEvent>

namespace attnscope::ui {

QkvView::QkvView(ViewState* state, QWidget* parent) : FigureView(state, parent) {
    setFocusPolicy(Qt::StrongFocus);
    m_prev = new QPushButton(tr("◀ Step"), this);
    m_play = new QPushButton(tr("▶ Play"), this);
    m_next = new QPushButton(tr("Step ▶"), this);
    m_stepLabel = new QLabel(this);
    for (QPushButton* b : {m_prev, m_play, m_next}) b->setFocusPolicy(Qt::NoFocus);
    connect(m_prev, &QPushButton::clicked, this, [this] { setStepIndex(stepIndex() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setStepIndex(stepIndex() + 1); });
    connect(m_play, &QPushButton::clicked, this, [this] { setPlaying(!playing()); });
    connect(state, &ViewState::focusChanged, this, &QkvView::keepQueryInView);
    m_timer.setInterval(1400);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (stepIndex() + 1 >= int(steps().size())) return setPlaying(false);
        setStepIndex(stepIndex() + 1);
    });
    updateControls();
}

QRectF QkvView::figureArea() const { return QRectF(rect()).adjusted(12, m_next->height() + 14, -12, -10); }

void QkvView::resizeEvent(QResizeEvent*) {
    const int h = m_next->sizeHint().height();
    int x = 12;
    for (QWidget* w : {static_cast<QWidget*>(m_prev), static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_next)}) {
        w->setGeometry(x, 6, w->sizeHint().width(), h);
        x += w->sizeHint().width() + 6;
    }
    m_stepLabel->setGeometry(x + 8, 6, width() - x - 20, h);
    updateControls();   // the step label elided to its new width
    keepQueryInView();  // the page of keys holds a different number of rows now
}

void QkvView::resultChanged() {
    keepQueryInView();
    updateControls();
}

int QkvView::query() const {
    return m_result && m_result->trace ? defaultQuery(*m_result, *m_state, m_query) : 0;
}

void QkvView::setQuery(int token) {
    m_query = token;
    if (m_state->pinnedToken() >= 0) m_state->setPinnedToken(token);
    keepQueryInView();
    update();
}

QkvSpec QkvView::spec(const FigureStyle& style) const {
    QkvSpec q;
    q.trace = m_result->trace.get();
    q.labels = m_result->labels;
    q.layer = m_state->layer();
    q.head = m_state->head();
    q.query = query();
    q.step = step();
    q.font = style.font;
    q.textColor = style.text;
    q.background = style.background;
    q.firstKey = m_firstKey;
    q.allKeys = false;
    return q;
}

void QkvView::keepQueryInView() {
    if (!m_result || !m_result->trace) return;
    const QkvLayout l = qkvLayout(figureArea(), spec(m_style));
    const int q = query();
    if (l.keyCount <= 0 || l.keyCount >= m_result->trace->tokens()) return;
    if (q >= l.firstKey && q < l.firstKey + l.keyCount) return;
    // The page around the query and, when both fit, the key it attends to most (what the softmax
    // step is about).
    const core::AttentionTrace& t = *m_result->trace;
    const int layer = std::clamp(m_state->layer(), 0, t.layers() - 1), head = std::clamp(m_state->head(), 0, t.heads() - 1);
    const float* p = t.head(layer, head).probsRow(q);  // (n)
    const int top = int(std::max_element(p, p + t.tokens()) - p);
    const int lo = std::min(q, top), hi = std::max(q, top);
    m_firstKey = hi - lo < l.keyCount ? std::max(0, lo - (l.keyCount - (hi - lo + 1)) / 2) : std::max(0, q - l.keyCount / 2);
}

void QkvView::scrollKeys(int rows) {
    if (!m_result || !m_result->trace) return;
    const QkvLayout l = qkvLayout(figureArea(), spec(m_style));
    m_firstKey = std::clamp(l.firstKey + rows, 0, std::max(0, m_result->trace->tokens() - l.keyCount));
    update();
}

int QkvView::firstKey() const {
    return m_result && m_result->trace ? qkvLayout(figureArea(), spec(m_style)).firstKey : 0;
}

std::vector<QkvStep> QkvView::steps() const { return qkvSteps(m_result && m_result->trace && m_result->trace->rotary()); }

int QkvView::stepIndex() const { return std::clamp(m_stepIndex, 0, int(steps().size()) - 1); }

QkvStep QkvView::step() const { return steps()[size_t(stepIndex())]; }

void QkvView::setStepIndex(int index) {
    m_stepIndex = std::clamp(index, 0, kQkvMaxSteps - 1);
    if (m_result && m_result->trace) m_stepIndex = stepIndex();
    updateControls();
    update();
}

void QkvView::setStep(QkvStep step) {
    const std::vector<QkvStep> all = steps();
    int index = 0;
    for (size_t i = 0; i < all.size(); ++i)
        if (int(all[i]) <= int(step)) index = int(i);
    setStepIndex(index);
}

void QkvView::setPlaying(bool on) {
    if (on) {
        if (stepIndex() + 1 >= int(steps().size())) m_stepIndex = 0;
        m_timer.start();
    } else {
        m_timer.stop();
    }
    updateControls();
    update();
}

void QkvView::updateControls() {
    m_play->setText(playing() ? tr("❚❚ Pause") : tr("▶ Play"));
    const int count = int(steps().size());
    const bool rotary = m_result && m_result->trace && m_result->trace->rotary();
    const bool drawable = unavailable().isEmpty();  // a trace file without the model: nothing to step through
    m_prev->setEnabled(drawable && stepIndex() > 0);
    m_next->setEnabled(drawable && stepIndex() + 1 < count);
    m_play->setEnabled(drawable);
    m_stepLabel->setVisible(drawable);
    const QString text = tr("Step %1 of %2: %3").arg(stepIndex() + 1).arg(count).arg(qkvStepName(step(), m_result && m_result->causal, rotary).section(QStringLiteral(" · "), 1));
    m_stepLabel->setText(m_stepLabel->fontMetrics().elidedText(text, Qt::ElideRight, std::max(40, m_stepLabel->width())));
    m_stepLabel->setToolTip(text + tr("\n←/→ or Space: step · ↑/↓: query token · P: play · wheel: more keys"));
}

void QkvView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    QRectF area = rect;
    if (painter.device() == this) area = figureArea();
    // On screen the keys come a legible page at a time; an export draws them all.
    paintFigureByName(figureName(), painter, area, *m_result, *m_state, style, QkvOptions{stepIndex(), m_query, m_firstKey, painter.device() != this});
}

QSizeF QkvView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(900, 400);
}

void QkvView::keyPressEvent(QKeyEvent* event) {
    const int n = m_result && m_result->trace ? m_result->trace->tokens() : 0;
    switch (event->key()) {
        case Qt::Key_Right:
        case Qt::Key_Space: setStepIndex(stepIndex() + 1); break;
        case Qt::Key_Left: setStepIndex(stepIndex() - 1); break;
        case Qt::Key_Home: setStep(QkvStep::Input); break;
        case Qt::Key_End: setStep(QkvStep::Output); break;
        case Qt::Key_Down: if (n) setQuery(std::min(n - 1, query() + 1)); break;
        case Qt::Key_Up: if (n) setQuery(std::max(0, query() - 1)); break;
        case Qt::Key_P: setPlaying(!playing()); break;
        default: FigureView::keyPressEvent(event); return;
    }
}

void QkvView::mousePressEvent(QMouseEvent*) { setFocus(); }

void QkvView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const QString value = qkvValueAt(figureArea(), spec(m_style), event->position());
    if (value.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), value, this);
}

void QkvView::wheelEvent(QWheelEvent* event) {
    const int rows = -event->angleDelta().y() / 40;  // three rows a notch
    if (rows != 0) scrollKeys(rows);
    event->accept();
}

}  // namespace attnscope::ui
