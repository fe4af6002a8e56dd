#include "render/qk_space_spec.h"

#include "analysis/qk_projection.h"

#include <algorithm>

namespace attnscope::ui {

core::Result<std::vector<float>> projectQueryKeys(const core::AttentionTrace& t, int layer, int head, QkProjection method,
                                                  const std::atomic<bool>* cancel) {
    const std::vector<float> pts = core::queryKeyPoints(t, layer, head);  // (2n, d)
    if (method == QkProjection::Pca) return core::pcaProjection(pts.data(), 2 * t.tokens(), t.headDim());
    return core::tsneProjection(pts.data(), 2 * t.tokens(), t.headDim(), {}, cancel);
}

QkSpaceSpec qkSpaceSpec(const AnalysisResult& r, const ViewState& st, const FigureStyle& style, const std::vector<float>& points,
                        core::HeadMatrices& keep) {
    const core::AttentionTrace& t = *r.trace;
    QkSpaceSpec s;
    s.n = t.tokens();
    s.points = int(points.size()) == 4 * s.n ? points.data() : nullptr;
    keep = t.head(st.layer(), st.head());
    s.probs = keep.probs();
    s.labels = r.labels;
    s.focus = st.pinnedToken();
    s.lineThreshold = std::max(0.05f, st.threshold());
    s.font = style.font;
    s.textColor = style.text;
    const bool pca = st.qkProjection() == QkProjection::Pca;
    s.title = QStringLiteral("Layer %1 · Head %2 · queries and keys in one space (%3)").arg(t.layerNumber(st.layer())).arg(st.head()).arg(pca ? "PCA" : "t-SNE") +
              analysisSuffix(r);
    s.axisNote = pca ? QStringLiteral("PCA of the head's q and k vectors (keys shifted and both rescaled; the attention is unchanged): "
                                      "the axes are the two directions of largest variance")
                     : QStringLiteral("t-SNE of the head's q and k vectors (perplexity %1): near means similar; distances between "
                                      "clusters and the axes mean nothing")
                           .arg(std::clamp(30.0, 1.0, (2.0 * s.n - 1) / 3.0), 0, 'g', 3);
    return s;
}

}  // namespace attnscope::ui
