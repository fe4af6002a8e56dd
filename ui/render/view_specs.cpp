#include "render/view_specs.h"

#include "render/head_palette.h"
#include "render/qkv_painter.h"

#include <algorithm>

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

QStringList figureNames() {
    return {QStringLiteral("links"), QStringLiteral("heatmap"), QStringLiteral("grid"), QStringLiteral("qkv")};
}

QSizeF figureSize(const QString& name, const AnalysisResult& r) {
    const core::AttentionTrace& t = *r.trace;
    const int n = t.tokens();
    if (name == QLatin1String("heatmap")) {
        const double side = std::clamp(n * 18.0, 300.0, 1600.0);
        return QSizeF(side + 170, side + 130);
    }
    if (name == QLatin1String("links")) return QSizeF(460, std::clamp(n * 18.0 + 60, 220.0, 3000.0));
    if (name == QLatin1String("grid")) return QSizeF(t.heads() * 64.0 + 50, t.layers() * 64.0 + 30);
    return QSizeF(900, std::clamp(n * 20.0 + 190, 320.0, 2600.0));
}

int defaultQuery(const AnalysisResult& r, const ViewState& st, int query) {
    const int n = r.trace->tokens();
    if (st.focusToken() >= 0) return std::min(st.focusToken(), n - 1);
    if (query >= 0 && query < n) return query;
    return r.causal ? n - 1 : std::min(1, n - 1);  // the last token, or the first after [CLS]
}

void paintFigureByName(const QString& name, QPainter& p, const QRectF& rect, const AnalysisResult& r, const ViewState& st,
                       const FigureStyle& style, const QkvOptions& qkv) {
    AttentionMatrix matrix;
    if (name == QLatin1String("heatmap")) {
        paintHeatmap(p, rect, heatmapSpec(r, st, style, matrix));
    } else if (name == QLatin1String("links")) {
        paintLinks(p, rect, linksSpec(r, st, style, matrix));
    } else if (name == QLatin1String("grid")) {
        paintGrid(p, rect, gridSpec(r, st, style));
    } else {
        QkvSpec q;
        q.trace = r.trace.get();
        q.labels = r.labels;
        q.layer = st.layer();
        q.head = st.head();
        q.query = defaultQuery(r, st, qkv.query);
        q.step = QkvStep(std::clamp(qkv.step, 0, kQkvStepCount - 1));
        q.font = style.font;
        q.textColor = style.text;
        paintQkv(p, rect, q);
    }
}

}  // namespace attnscope::ui
