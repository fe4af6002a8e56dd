#pragma once

#include "render/aggregate_spec.h"
#include "widgets/heatmap_view.h"

namespace attnscope::ui {

// The heatmap of an aggregate of heads (ViewState::aggregate): the layer's heads' mean or maximum,
// or the attention rollout through the layer. Zoom, hover and pin as in the heatmap.
class AggregateView : public HeatmapView {
    Q_OBJECT

public:
    explicit AggregateView(ViewState* state, QWidget* parent = nullptr) : HeatmapView(state, parent) {}
    QString figureName() const override { return QStringLiteral("aggregate"); }

protected:
    HeatmapSpec baseSpec(const FigureStyle& style, AttentionMatrix& matrix) const override;

private:
    mutable AggregateCache m_cache;  // the rollout is an L-fold product: not recomputed on hover
};

}  // namespace attnscope::ui
