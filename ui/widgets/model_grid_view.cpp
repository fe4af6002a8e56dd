#include "widgets/model_grid_view.h"

#include <QMouseEvent>
#include <QToolTip>

namespace attnscope::ui {

ModelGridView::ModelGridView(ViewState* state, QWidget* parent) : FigureView(state, parent) {
    connect(state, &ViewState::changed, this, [this] {
        if (m_state->colormap() != m_thumbMap || m_state->logScale() != m_thumbLog || m_state->hideFirstToken() != m_thumbHideFirst)
            rebuildThumbnails();
    });
}

void ModelGridView::resultChanged() { rebuildThumbnails(); }

void ModelGridView::rebuildThumbnails() {
    m_thumbMap = m_state->colormap();
    m_thumbLog = m_state->logScale();
    m_thumbHideFirst = m_state->hideFirstToken();
    m_thumbnails = m_result && m_result->trace ? allThumbnails(*m_result->trace, Colormap(m_thumbMap), m_thumbLog, m_thumbHideFirst)
                                               : std::vector<QImage>{};
    update();
}

void ModelGridView::paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    if (!m_result || !m_result->trace) return;
    GridSpec spec = gridSpec(*m_result, *m_state, style);
    if (!style.vector) spec.thumbnails = &m_thumbnails;
    paintGrid(painter, rect, spec);
}

QSizeF ModelGridView::preferredFigureSize() const {
    return m_result && m_result->trace ? figureSize(figureName(), *m_result) : QSizeF(600, 400);
}

void ModelGridView::mousePressEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const GridLayout g = gridLayout(figureRect(), m_result->trace->layers(), m_result->trace->heads(), m_style.font);
    if (const auto cell = gridCellAt(g, event->position())) {
        m_state->setHeadMode(HeadMode::Single);
        m_state->setLayer(cell->y());
        m_state->setHead(cell->x());
        Q_EMIT headActivated(cell->y(), cell->x());
    }
}

void ModelGridView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_result || !m_result->trace) return;
    const GridLayout g = gridLayout(figureRect(), m_result->trace->layers(), m_result->trace->heads(), m_style.font);
    if (const auto cell = gridCellAt(g, event->position()))
        QToolTip::showText(event->globalPosition().toPoint(),
                           QStringLiteral("Layer %1 · Head %2 — click to focus").arg(m_result->trace->layerNumber(cell->y())).arg(cell->x()), this);
    else
        QToolTip::hideText();
}

}  // namespace attnscope::ui
