#include "widgets/image_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>

namespace attnscope::ui {

ImageView::ImageView(ViewState* state, QWidget* parent) : FigureView(state, parent) { setMinimumSize(320, 280); }

void ImageView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (m_result && m_result->isImage()) paintImageFigure(painter, rect, imageSpec(*m_result, *m_state, style));
}

QSizeF ImageView::preferredFigureSize() const {
    return m_result && m_result->isImage() ? figureSize(figureName(), *m_result) : QSizeF(640, 560);
}

void ImageView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->isImage()) return;
    const ImageSpec spec = imageSpec(*m_result, *m_state, m_style);
    const ImageLayout l = imageLayout(figureRect(), spec);
    if (spec.overlay == ImageOverlay::Heads) {
        const auto [layer, head] = headAt(l, event->position());
        if (layer < 0) return;
        m_state->setHeadMode(HeadMode::Single);
        m_state->setLayer(layer);
        m_state->setHead(head);
        Q_EMIT headActivated(layer, head);
        return;
    }
    const int patch = patchAt(l, spec, event->position());
    if (patch >= 0) m_state->togglePinnedToken(patch + 1);
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->isImage()) return;
    const ImageSpec spec = imageSpec(*m_result, *m_state, m_style);
    const ImageLayout l = imageLayout(figureRect(), spec);
    if (spec.overlay == ImageOverlay::Heads) {
        const auto [layer, head] = headAt(l, event->position());
        if (layer >= 0)
            QToolTip::showText(event->globalPosition().toPoint(), QStringLiteral("Layer %1 · Head %2 — click to focus").arg(layer).arg(head), this);
        else
            QToolTip::hideText();
        return;
    }
    const int patch = patchAt(l, spec, event->position());
    m_state->setHoveredToken(patch >= 0 ? patch + 1 : -1);
    if (patch < 0) {
        QToolTip::hideText();
        return;
    }
    const std::vector<float> values = imageMapValues(*m_result, *m_state);
    const QString name = m_result->labels.value(patch + 1);
    QString tip = name;
    if (spec.overlay == ImageOverlay::Dino)
        tip += values[size_t(patch)] > 0 ? QStringLiteral(": kept") : QStringLiteral(": masked");
    else if (spec.overlay == ImageOverlay::Rollout)
        tip += QStringLiteral(": rollout %1 of the maximum").arg(double(values[size_t(patch)]), 0, 'f', 3);
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
