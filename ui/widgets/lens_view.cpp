#include "widgets/lens_view.h"

#include <QMouseEvent>
#include <QToolTip>

namespace attnscope::ui {

LensView::LensView(ViewState* state, QWidget* parent) : FigureView(state, parent) { setMouseTracking(true); }

void LensView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->lens) return;
    paintLens(painter, rect, lensSpec(*m_result, *m_state, style));
}

QSizeF LensView::preferredFigureSize() const {
    return m_result && m_result->lens ? figureSize(figureName(), *m_result) : FigureView::preferredFigureSize();
}

QString LensView::placeholder() const {
    if (m_result && !m_result->lensNote.isEmpty()) return tr("No logit lens: %1.").arg(m_result->lensNote);
    if (m_result) return tr("Reading every layer through the language-model head…");
    return FigureView::placeholder();
}

QString LensView::cellText(const QPointF& pos) const {
    if (!m_result || !m_result->lens) return {};
    const LensSpec spec = lensSpec(*m_result, *m_state, m_style);
    const auto cell = lensCellAt(lensLayout(figureRect(), spec), spec, pos);
    if (!cell) return {};
    const core::LogitLens& lens = *m_result->lens;
    const int token = cell->x(), layer = cell->y();
    QStringList parts;
    for (int r = 0; r < lens.k; ++r) {
        const size_t index = (size_t(layer) * size_t(lens.tokens) + size_t(token)) * size_t(lens.k) + size_t(r);
        parts << QStringLiteral("%1 %2%").arg(m_result->lensTexts.value(qsizetype(index)).trimmed()).arg(lens.at(layer, token)[r].probability * 100, 0, 'f', 1);
    }
    const QString where = layer == 0 ? tr("embeddings") : tr("layer %1").arg(layer);
    return tr("%1 at “%2”: %3").arg(where, m_result->labels.value(token), parts.join(QStringLiteral(" · ")));
}

void LensView::mouseMoveEvent(QMouseEvent* event) {
    const QString text = cellText(event->position());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), text, this);
    FigureView::mouseMoveEvent(event);
}

void LensView::mousePressEvent(QMouseEvent* event) {
    if (m_result && m_result->lens) {
        const LensSpec spec = lensSpec(*m_result, *m_state, m_style);
        if (const auto cell = lensCellAt(lensLayout(figureRect(), spec), spec, event->position())) m_state->togglePinnedToken(cell->x());
    }
    FigureView::mousePressEvent(event);
}

}  // namespace attnscope::ui
