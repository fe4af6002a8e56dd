#include "render/view_specs.h"

#include "render/head_palette.h"

namespace attnscope::ui {

HeatmapSpec heatmapSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, AttentionMatrix& m) {
    const core::AttentionTrace& t = *r.trace;
    const HeadMode mode = st.headMode() == HeadMode::All ? HeadMode::Average : st.headMode();
    m = selectMatrix(t, st.layer(), mode, st.head());
    HeatmapSpec s;
    s.values = m.data;
    s.n = m.n;
    s.labels = r.labels;
    s.colormap = Colormap(st.colormap());
    s.logScale = st.logScale();
    s.causal = r.causal;
    s.focus = st.focusToken();
    s.title = matrixTitle(st.layer(), mode, st.head(), t.heads());
    s.font = style.font;
    s.textColor = style.text;
    s.vectorCells = style.vector;
    return s;
}

LinksSpec linksSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, AttentionMatrix& m) {
    const core::AttentionTrace& t = *r.trace;
    LinksSpec s;
    s.n = t.tokens();
    s.labels = r.labels;
    s.threshold = st.threshold();
    s.focus = st.focusToken();
    s.causal = r.causal;
    s.font = style.font;
    s.textColor = style.text;
    switch (st.headMode()) {
        case HeadMode::Single:
            s.heads = {t.probs(st.layer(), st.head())};
            s.colors = {headColor(st.head())};
            break;
        case HeadMode::Average:
            m = selectMatrix(t, st.layer(), HeadMode::Average, 0);
            s.heads = {m.data};
            s.colors = {QColor(60, 60, 60)};
            break;
        case HeadMode::All:
            for (int h = 0; h < t.heads(); ++h) {
                s.heads.push_back(t.probs(st.layer(), h));
                s.colors.push_back(headColor(h));
            }
            break;
    }
    s.title = st.headMode() == HeadMode::All ? QStringLiteral("Layer %1 · all %2 heads").arg(st.layer()).arg(t.heads())
                                             : matrixTitle(st.layer(), st.headMode(), st.head(), t.heads());
    return s;
}

GridSpec gridSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style) {
    GridSpec s;
    s.trace = r.trace.get();
    s.colormap = Colormap(st.colormap());
    s.logScale = st.logScale();
    s.selectedLayer = st.layer();
    s.selectedHead = st.headMode() == HeadMode::Single ? st.head() : -1;
    s.focus = st.focusToken();
    s.font = style.font;
    s.textColor = style.text;
    s.vectorCells = style.vector;
    return s;
}

}  // namespace attnscope::ui
