#include "widgets/image_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>

namespace attnscope::ui {

ImageView::ImageView(ViewState* state, QWidget* parent) : FigureView(state, parent) { setMinimumSize(320, 280); }

void ImageView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (m_result && m_result->isImage()) paintImageFigure(painter, rect, spec(style));
}

QSizeF ImageView::preferredFigureSize() const {
    return m_result && m_result->isImage() ? figureSize(figureName(), *m_result) : QSizeF(640, 560);
}

void ImageView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->isImage()) return;
    const ImageSpec s = spec(m_style);
    const ImageLayout l = imageLayout(figureRect(), s);
    if (s.overlay == ImageOverlay::Heads) {
        const auto [layer, head] = headAt(l, event->position());
        if (layer < 0) return;
        m_state->setHeadMode(HeadMode::Single);
        m_state->setLayer(layer);
        m_state->setHead(head);
        Q_EMIT headActivated(layer, head);
        return;
    }
    const int patch = patchAt(l, s, event->position());
    if (patch >= 0) m_state->togglePinnedToken(patch + 1);
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->isImage()) return;
    const ImageSpec s = spec(m_style);
    const ImageLayout l = imageLayout(figureRect(), s);
    if (s.overlay == ImageOverlay::Heads) {
        const auto [layer, head] = headAt(l, event->position());
        if (layer >= 0)
            QToolTip::showText(event->globalPosition().toPoint(), QStringLiteral("Layer %1 · Head %2 — click to focus").arg(layer).arg(head), this);
        else
            QToolTip::hideText();
        return;
    }
    const int patch = patchAt(l, s, event->position());
    m_state->setHoveredToken(patch >= 0 ? patch + 1 : -1);
    if (patch < 0) {
        QToolTip::hideText();
        return;
    }
    QString tip = m_result->labels.value(patch + 1);
    if (s.overlay == ImageOverlay::Dino && size_t(patch) < s.mask.size())
        tip += s.mask[size_t(patch)] ? QStringLiteral(": kept") : QStringLiteral(": masked");
    else if (s.overlay == ImageOverlay::Rollout && size_t(patch) < s.map.size())
        tip += QStringLiteral(": rollout %1 of the maximum").arg(double(s.map[size_t(patch)]), 0, 'f', 3);
    QToolTip::showText(event->globalPosition().toPoint(), tip + QStringLiteral(" — click to pin"), this);
}

void ImageView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        m_state->setPinnedToken(-1);
        return;
    }
    FigureView::keyPressEvent(event);
}

}  // namespace attnscope::ui
