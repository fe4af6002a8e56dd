#include "widgets/aggregate_view.h"

namespace attnscope::ui {

HeatmapSpec AggregateView::baseSpec(const FigureStyle& style, AttentionMatrix&) const {
    return aggregateSpec(*m_result, *m_state, style, m_cache);
}

}  // namespace attnscope::ui
