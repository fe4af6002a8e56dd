#include "render/aggregate_spec.h"

#include "analysis/rollout.h"

namespace attnscope::ui {

const std::vector<float>& AggregateCache::get(const core::AttentionTrace& t, AggregateMode m, int l) {
    if (trace == &t && mode == m && layer == l && !matrix.empty()) return matrix;
    trace = &t;
    mode = m;
    layer = l;
    switch (m) {
        case AggregateMode::Mean: matrix = core::fusedHeads(t, l, core::HeadFusion::Mean); break;
        case AggregateMode::Max: matrix = core::fusedHeads(t, l, core::HeadFusion::Max); break;
        case AggregateMode::Rollout: matrix = core::attentionRollout(t, core::HeadFusion::Mean, 0.0f, l); break;
    }
    return matrix;
}

QString aggregateName(AggregateMode mode) {
    switch (mode) {
        case AggregateMode::Mean: return QStringLiteral("mean");
        case AggregateMode::Max: return QStringLiteral("max");
        case AggregateMode::Rollout: return QStringLiteral("rollout");
    }
    return {};
}

bool aggregateFromName(const QString& name, AggregateMode* mode) {
    for (AggregateMode m : {AggregateMode::Mean, AggregateMode::Max, AggregateMode::Rollout})
        if (name == aggregateName(m)) {
            *mode = m;
            return true;
        }
    return false;
}

HeatmapSpec aggregateSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, AggregateCache& cache) {
    const core::AttentionTrace& t = *r.trace;
    HeatmapSpec s;
    s.values = cache.get(t, st.aggregate(), st.layer()).data();
    s.n = t.tokens();
    s.labels = r.labels;
    s.colormap = Colormap(st.colormap());
    s.logScale = st.logScale();
    s.causal = t.shape().causal;
    s.focus = st.pinnedToken();
    s.hovered = st.hoveredToken();
    s.font = style.font;
    s.textColor = style.text;
    s.vectorCells = style.vector;
    switch (st.aggregate()) {
        case AggregateMode::Mean: s.title = QStringLiteral("Layer %1 · mean of %2 heads").arg(t.layerNumber(st.layer())).arg(t.heads()); break;
        case AggregateMode::Max: s.title = QStringLiteral("Layer %1 · max over %2 heads (each cell its strongest head)").arg(t.layerNumber(st.layer())).arg(t.heads()); break;
        case AggregateMode::Rollout:
            s.title = st.layer() == 0 ? QStringLiteral("Rollout through layer 0 · (A + I) / 2, mean of heads")
                                      : QStringLiteral("Rollout through layers 0–%1 · mean of heads, residual included").arg(st.layer());
            break;
    }
    s.title += analysisSuffix(r);
    return s;
}

}  // namespace attnscope::ui
