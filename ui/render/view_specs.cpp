#include "render/view_specs.h"

#include "render/aggregate_spec.h"
#include "render/qk_space_spec.h"

#include "analysis/sinks.h"
#include "render/head_palette.h"
#include "render/qkv_painter.h"

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

// What every figure's title adds when the analysis ran differently from plain attention.
QString analysisSuffix(const AnalysisResult& r) {
    QString suffix;
    if (r.valueWeighted) suffix += QStringLiteral(" · value-weighted norms");
    if (!r.ablated.empty()) suffix += QStringLiteral(" · %1 head%2 off").arg(r.ablated.size()).arg(r.ablated.size() == 1 ? "" : "s");
    return suffix;
}


HeatmapSpec heatmapSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, AttentionMatrix& m) {
    const core::AttentionTrace& t = *r.trace;
    const HeadMode mode = st.headMode() == HeadMode::All ? HeadMode::Average : st.headMode();
    m = selectMatrix(t, st.layer(), mode, st.head(), st.hideFirstToken());
    HeatmapSpec s;
    s.values = m.data;
    s.n = m.n;
    s.labels = r.labels;
    s.colormap = Colormap(st.colormap());
    s.logScale = st.logScale();
    s.causal = r.causal;
    s.focus = st.focusToken();
    s.hovered = st.hoveredToken();
    s.title = matrixTitle(t.layerNumber(st.layer()), mode, st.head(), t.heads(), st.hideFirstToken());
    s.hiddenFirstKey = st.hideFirstToken();
    s.window = t.window(st.layer());  // a mask beyond the causal one, the same for every head of a layer
    s.font = style.font;
    s.textColor = style.text;
    s.vectorCells = style.vector;
    s.title += analysisSuffix(r);
    return s;
}

LinksSpec linksSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, AttentionMatrix& m) {
    const core::AttentionTrace& t = *r.trace;
    LinksSpec s;
    s.n = t.tokens();
    s.labels = r.labels;
    s.threshold = st.threshold();
    s.focus = st.focusToken();
    s.focusIsKey = st.linkDirection() == LinkDirection::AttendedBy;
    s.windowAnchor = st.pinnedToken();
    s.hovered = st.hoveredToken();
    s.causal = r.causal;
    s.font = style.font;
    s.textColor = style.text;
    const bool hide = st.hideFirstToken();
    auto owned = std::make_shared<std::vector<std::vector<float>>>();  // matrices the spec points into
    switch (st.headMode()) {
        case HeadMode::Single:
            m = selectMatrix(t, st.layer(), HeadMode::Single, st.head(), hide);
            s.heads = {m.data};
            s.colors = {headColor(st.head())};
            break;
        case HeadMode::Average:
            m = selectMatrix(t, st.layer(), HeadMode::Average, 0, hide);
            s.heads = {m.data};
            s.colors = {QColor(60, 60, 60)};
            break;
        case HeadMode::All: {
            std::vector<int> shown;  // the heads the legend has on
            for (int h = 0; h < t.heads(); ++h) {
                s.legendColors.push_back(headColor(h));
                s.legendShown.push_back(st.isHeadShown(h));
                if (st.isHeadShown(h)) shown.push_back(h);
            }
            if (t.rebuilt()) {  // a long prompt: each head rebuilt while it is drawn
                const std::shared_ptr<const core::AttentionTrace> trace = r.trace;
                const int layer = st.layer();
                s.fetch = [trace, layer, hide, shown](int k) { return selectMatrix(*trace, layer, HeadMode::Single, shown[size_t(k)], hide); };
                s.fetchFocus = [trace, layer, hide, shown](int k, int focus, bool key) {
                    const int h = shown[size_t(k)];
                    // Without the first key, each row renormalised over the others (as withoutFirstKey).
                    if (key) {  // what every query gives the key
                        std::vector<float> column = trace->probsColumn(layer, h, focus);
                        if (hide) {
                            const std::vector<float> first = trace->probsColumn(layer, h, 0);
                            for (size_t a = 0; a < column.size(); ++a) {
                                const float rest = 1.0f - first[a];
                                column[a] = focus == 0 || rest <= 0 ? 0.0f : column[a] / rest;
                            }
                        }
                        return column;
                    }
                    std::vector<float> row = trace->probsRow(layer, h, focus);  // what the query gives each key
                    if (hide) {
                        row[0] = 0;
                        double rest = 0;
                        for (float v : row) rest += v;
                        for (float& v : row) v = rest > 0 ? float(v / rest) : 0.0f;
                    }
                    return row;
                };
                for (int h : shown) s.colors.push_back(headColor(h));
                break;
            }
            owned->reserve(shown.size());  // pointers into it stay valid
            for (int h : shown) {
                const core::HeadMatrices head = t.head(st.layer(), h);
                if (hide) owned->push_back(core::withoutFirstKey(head.probs(), t.tokens()));
                else m.kept.push_back(head);
                s.heads.push_back(hide ? owned->back().data() : head.probs());
                s.colors.push_back(headColor(h));
            }
            break;
        }
    }
    s.owned = owned;
    const int shownHeads = int(std::count(s.legendShown.begin(), s.legendShown.end(), true));
    const QString heads = shownHeads == t.heads() ? QStringLiteral("all %1 heads").arg(t.heads()) : QStringLiteral("%1 of %2 heads").arg(shownHeads).arg(t.heads());
    s.title = st.headMode() == HeadMode::All
                  ? QStringLiteral("Layer %1 · %2%3").arg(t.layerNumber(st.layer())).arg(heads, hide ? QStringLiteral(" · first token hidden, rows renormalised") : QString())
                  : matrixTitle(t.layerNumber(st.layer()), st.headMode(), st.head(), t.heads(), hide);
    if (const core::ReferentReading* reading = r.referentFor(st.focusToken())) {
        s.caption = core::describeReading(*reading, r.labels);
        s.captionWarning = !reading->trusted();
    }
    s.title += analysisSuffix(r);
    return s;
}

GridSpec gridSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style) {
    GridSpec s;
    s.hideFirstToken = st.hideFirstToken();
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

LensSpec lensSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style) {
    LensSpec s;
    s.lens = r.lens.get();
    s.tokens = r.labels;
    s.cellTexts = r.lensTexts;
    s.colormap = Colormap(st.colormap());
    s.focus = st.pinnedToken();
    s.font = style.font;
    s.textColor = style.text;
    s.title = (r.causal ? QStringLiteral("Logit lens · each layer's next-token guess through the final norm and the LM head")
                        : QStringLiteral("Logit lens · each layer's hidden state read through the masked-LM head")) +
              QStringLiteral(" · colour: its probability") + analysisSuffix(r);
    return s;
}

QStringList figureNames() {
    return {QStringLiteral("links"), QStringLiteral("heatmap"), QStringLiteral("grid"), QStringLiteral("qkv"), QStringLiteral("image"),
            QStringLiteral("aggregate"), QStringLiteral("lens"), QStringLiteral("qkspace")};
}

namespace {

QString percent(float p) { return QString::number(double(p) * 100, 'f', p >= 0.995f ? 0 : 1) + QLatin1Char('%'); }

QString tokenName(const AnalysisResult& r, int token) { return token >= 0 && token < r.labels.size() ? r.labels[token] : QString(); }

// The token the image overlay reads from: the focus token, else [CLS].
int imageQuery(const AnalysisResult& r, const ViewState& st) {
    const int focus = st.focusToken();
    return focus >= 0 && focus < r.trace->tokens() ? focus : 0;
}

// The query's attention row over the patches (P) for the selected head or the heads' mean.
std::vector<float> attentionRow(const AnalysisResult& r, const ViewState& st, int query) {
    const core::AttentionTrace& t = *r.trace;
    const int n = t.tokens();
    std::vector<float> row(size_t(n - 1), 0.0f);
    const bool mean = st.headMode() != HeadMode::Single;
    for (int h = mean ? 0 : st.head(); h < (mean ? t.heads() : st.head() + 1); ++h) {
        const core::HeadMatrices head = t.head(st.layer(), h);
        const float* p = head.probsRow(query) + 1;
        for (int j = 0; j < n - 1; ++j) row[size_t(j)] += p[j] / float(mean ? t.heads() : 1);
    }
    return row;
}

QString fusionName(core::HeadFusion f) {
    return f == core::HeadFusion::Max ? QStringLiteral("max") : f == core::HeadFusion::Min ? QStringLiteral("min") : QStringLiteral("mean");
}

}  // namespace

std::vector<float> imageMapValues(const AnalysisResult& r, const ViewState& st) {
    const ImageOptions& o = st.imageOptions();
    switch (o.overlay) {
        case ImageOverlay::Rollout: return core::clsRolloutMap(*r.trace, o.fusion, o.discard);
        case ImageOverlay::Dino: {
            const std::vector<uint8_t> mask = core::dinoMask(*r.trace, st.layer(), st.head(), o.keep);
            return std::vector<float>(mask.begin(), mask.end());
        }
        default: return attentionRow(r, st, imageQuery(r, st));
    }
}

const std::vector<float>& RolloutCache::get(const core::AttentionTrace& t, core::HeadFusion f, float d) {
    if (trace != &t || fusion != f || discard != d) {
        map = core::clsRolloutMap(t, f, d);
        trace = &t;
        fusion = f;
        discard = d;
    }
    return map;
}

namespace {

// Scales a map to its own range (min to max; log10 from max/10^4 with `log`) so a nearly flat map
// still shows where it peaks; the ticks carry the true values.
void scaleToData(std::vector<float>& map, bool log, QStringList& ticks) {
    if (map.empty()) return;
    const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
    const double mn = *lo, mx = *hi;
    auto label = [](double v) { return QString::number(v, 'g', 3); };
    if (!(mx > mn)) {
        std::fill(map.begin(), map.end(), 0.0f);
        ticks = QStringList{label(mn), label(mx) + QStringLiteral(" (all equal)")};
        return;
    }
    if (log) {
        const double floor = std::max({mn, mx * 1e-4, 1e-12});
        const double a = std::log(floor), b = std::log(mx);
        for (float& v : map) v = float((std::log(std::max(double(v), floor)) - a) / (b - a));
        ticks = QStringList{label(floor), label(std::sqrt(floor * mx)), label(mx) + QStringLiteral(" (log)")};
        return;
    }
    for (float& v : map) v = float((v - mn) / (mx - mn));
    ticks = QStringList{label(mn), label((mn + mx) / 2), label(mx)};
}

}  // namespace

ImageSpec imageSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, RolloutCache* cache) {
    ImageSpec s;
    if (!r.isImage() || !r.trace || r.trace->tokens() < 2 || r.grid < 1) return s;  // no patches, nothing to lay over
    const ImageOptions& o = st.imageOptions();
    const core::AttentionTrace& t = *r.trace;
    s.picture = r.picture.get();
    s.grid = r.grid;
    s.overlay = o.overlay;
    s.opacity = o.opacity;
    s.smooth = o.smooth;
    s.spotlight = o.spotlight;
    s.colormap = Colormap(st.colormap());
    s.font = style.font;
    s.textColor = style.text;
    const int query = imageQuery(r, st);
    s.focusPatch = query - 1;
    const QString head = matrixTitle(t.layerNumber(st.layer()), st.headMode() == HeadMode::Single ? HeadMode::Single : HeadMode::Average, st.head(), t.heads());
    switch (o.overlay) {
        case ImageOverlay::Attention: {
            s.map = attentionRow(r, st, query);
            scaleToData(s.map, st.logScale(), s.ticks);
            s.title = QStringLiteral("%1 · attention from %2 · colours span this map's range").arg(head, tokenName(r, query));
            break;
        }
        case ImageOverlay::Rollout:
            s.map = cache ? cache->get(t, o.fusion, o.discard) : core::clsRolloutMap(t, o.fusion, o.discard);
            scaleToData(s.map, st.logScale(), s.ticks);  // relative to the largest (1)
            s.title = QStringLiteral("Attention rollout from [CLS] · %1 of heads · discard %2% · relative to its largest, colours span its range")
                          .arg(fusionName(o.fusion)).arg(int(std::lround(o.discard * 100)));
            s.focusPatch = -1;
            break;
        case ImageOverlay::Dino:
            s.mask = core::dinoMask(t, st.layer(), st.head(), o.keep);
            s.title = QStringLiteral("Layer %1 · Head %2 · patches holding %3% of [CLS] attention")
                          .arg(st.layer()).arg(st.head()).arg(int(std::lround(o.keep * 100)));
            s.focusPatch = -1;
            break;
        case ImageOverlay::Heads:
            s.trace = &t;
            s.query = query;
            s.selectedLayer = st.layer();
            s.selectedHead = st.head();
            s.title = QStringLiteral("Every head's attention from %1 (each scaled to its maximum)").arg(tokenName(r, query));
            break;
    }
    if (!r.predictions.empty() && !r.predictions[0].top.empty()) {
        QStringList parts;
        const PositionPredictions& p = r.predictions[0];
        for (size_t i = 0; i < p.top.size() && i < 3; ++i) parts << QStringLiteral("%1 %2").arg(p.texts[int(i)], percent(p.top[i].probability));
        s.caption = QStringLiteral("Prediction: ") + parts.join(QStringLiteral("  ·  "));
    }
    s.title += analysisSuffix(r);
    return s;
}

QSizeF figureSize(const QString& name, const AnalysisResult& r) {
    const core::AttentionTrace& t = *r.trace;
    const int n = t.tokens();
    if (name == QLatin1String("heatmap") || name == QLatin1String("aggregate")) {
        const double side = std::clamp(n * 18.0, 300.0, 1600.0);
        return QSizeF(side + 170, side + 130);
    }
    if (name == QLatin1String("links")) return QSizeF(460, std::clamp(n * 18.0 + 60, 220.0, 3000.0));
    if (name == QLatin1String("grid")) return QSizeF(t.heads() * 64.0 + 50, t.layers() * 64.0 + 30);
    if (name == QLatin1String("image")) return QSizeF(640, 560);
    if (name == QLatin1String("qkspace")) return QSizeF(760, 640);
    if (name == QLatin1String("lens")) return QSizeF(std::clamp(n * 70.0 + 200, 500.0, 4000.0), (t.layers() + 1) * 30.0 + 140);
    return QSizeF(1000, std::clamp(n * 20.0 + 260, 380.0, 2600.0));
}

int defaultQuery(const AnalysisResult& r, const ViewState& st, int query) {
    const int n = r.trace->tokens();
    if (st.focusToken() >= 0) return std::min(st.focusToken(), n - 1);
    if (query >= 0 && query < n) return query;
    if (!r.referents.empty() && r.referents.front().pronoun >= 0 && r.referents.front().pronoun < n)
        return r.referents.front().pronoun;  // a teaching model: the pronoun it resolves
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
    } else if (name == QLatin1String("image")) {
        paintImageFigure(p, rect, imageSpec(r, st, style));
    } else if (name == QLatin1String("qkspace")) {
        const auto points = projectQueryKeys(*r.trace, st.layer(), st.head(), st.qkProjection());
        core::HeadMatrices keep;
        paintQkSpace(p, rect, qkSpaceSpec(r, st, style, points ? *points : std::vector<float>(), keep));
    } else if (name == QLatin1String("lens")) {
        paintLens(p, rect, lensSpec(r, st, style));
    } else if (name == QLatin1String("aggregate")) {
        AggregateCache cache;
        paintHeatmap(p, rect, aggregateSpec(r, st, style, cache));
    } else {
        QkvSpec q;
        q.trace = r.trace.get();
        q.labels = r.labels;
        q.layer = st.layer();
        q.head = st.head();
        q.query = defaultQuery(r, st, qkv.query);
        const std::vector<QkvStep> steps = qkvSteps(r.trace->rotary());
        q.step = steps[size_t(std::clamp(qkv.step, 0, int(steps.size()) - 1))];
        q.font = style.font;
        q.textColor = style.text;
        q.background = style.background;
        q.firstKey = qkv.firstKey;
        q.allKeys = qkv.allKeys;
        paintQkv(p, rect, q);
    }
}

}  // namespace attnscope::ui
