#pragma once

#include "widgets/figure_view.h"

#include <QImage>

#include <vector>

namespace attnscope::ui {

// Every layer x head as a thumbnail; click one to focus it.
class ModelGridView : public FigureView {
    Q_OBJECT

public:
    ModelGridView(ViewState* state, QWidget* parent = nullptr);
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("grid"); }

Q_SIGNALS:
    void headActivated(int layer, int head);

protected:
    void resultChanged() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void rebuildThumbnails();

    std::vector<QImage> m_thumbnails;  // per (layer, head), rebuilt when the trace or colours change
    ColormapId m_thumbMap = ColormapId::Viridis;
    bool m_thumbLog = false;
    bool m_thumbHideFirst = false;
};

}  // namespace attnscope::ui
