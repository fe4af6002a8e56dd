#pragma once

#include "analysis/compare.h"
#include "widgets/figure_view.h"

#include <memory>

namespace attnscope::ui {

// The difference heatmap of Compare: one head's attention for input B minus input A on the
// aligned tokens (core/analysis/compare), red where B attends more, blue where less, gaps grey.
class CompareView : public FigureView {
    Q_OBJECT

public:
    explicit CompareView(ViewState* state, QWidget* parent = nullptr);
    void setComparison(std::shared_ptr<const core::Comparison> comparison);
    const core::Comparison* comparison() const { return m_comparison.get(); }
    void setMessage(const QString& message);

    bool hasFigure() const override { return m_comparison != nullptr; }
    void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
    QSizeF preferredFigureSize() const override;
    QString figureName() const override { return QStringLiteral("compare"); }
    // "it → road: 0.02 → 0.61 (+0.59)" for the cell under a widget point, or empty.
    QString cellText(const QPointF& pos) const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    QString placeholder() const override;

private:
    std::shared_ptr<const core::Comparison> m_comparison;
    QString m_message;
};

}  // namespace attnscope::ui
