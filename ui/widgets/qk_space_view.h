#pragma once

#include "render/qk_space_spec.h"
#include "widgets/figure_view.h"

#include <atomic>
#include <memory>

namespace attnscope::ui {

// Query-key space (AttentionViz): the current head's queries and keys projected together to 2-D
// by PCA (at once) or t-SNE (on a worker thread; the view says so meanwhile). Hover a point to
// name it and highlight its token everywhere; click to pin it.
class QkSpaceView : public FigureView {
    Q_OBJECT

public:
    explicit QkSpaceView(ViewState* state, QWidget* parent = nullptr);
    ~QkSpaceView() override;
    bool hasFigure() const override;
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override { return QSizeF(760, 640); }
    QString figureName() const override { return QStringLiteral("qkspace"); }
    // The point under a widget position: 0..n-1 queries, n..2n-1 keys, or -1.
    int pointAt(const QPointF& pos) const;
    bool computing() const { return m_computing; }

Q_SIGNALS:
    void projected();  // a projection is ready (or failed: see placeholder)

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resultChanged() override;
    void showEvent(QShowEvent* event) override;
    QString placeholder() const override;

private:
    void ensureProjection();

    QkSpaceCache m_cache;
    bool m_computing = false;
    QString m_error;
    int m_hoveredPoint = -1;
    quint64 m_request = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace attnscope::ui
