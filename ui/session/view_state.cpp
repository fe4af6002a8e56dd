#include "session/view_state.h"

#include "session/pin_follow.h"

#include <algorithm>

namespace attnscope::ui {

void ViewState::setLayer(int layer) {
    layer = std::clamp(layer, 0, std::max(0, m_layers - 1));
    if (layer == m_layer) return;
    m_layer = layer;
    Q_EMIT changed();
}

void ViewState::setHead(int head) {
    head = std::clamp(head, 0, std::max(0, m_heads - 1));
    if (head == m_head) return;
    m_head = head;
    Q_EMIT changed();
}

void ViewState::setHeadMode(HeadMode mode) {
    if (mode == m_headMode) return;
    m_headMode = mode;
    Q_EMIT changed();
}

void ViewState::setHoveredToken(int token) {
    token = token >= 0 && token < m_tokens ? token : -1;
    if (token == m_hovered) return;
    m_hovered = token;
    Q_EMIT focusChanged();
}

void ViewState::setPinnedToken(int token) {
    token = token >= 0 && token < m_tokens ? token : -1;
    if (token == m_pinned) return;
    m_pinned = token;
    Q_EMIT focusChanged();
}

void ViewState::togglePinnedToken(int token) { setPinnedToken(token == m_pinned ? -1 : token); }

void ViewState::setColormap(ColormapId map) {
    if (map == m_colormap) return;
    m_colormap = map;
    Q_EMIT changed();
}

void ViewState::setThreshold(float threshold) {
    threshold = std::clamp(threshold, 0.0f, 1.0f);
    if (threshold == m_threshold) return;
    m_threshold = threshold;
    Q_EMIT changed();
}

void ViewState::setLogScale(bool on) {
    if (on == m_logScale) return;
    m_logScale = on;
    Q_EMIT changed();
}

void ViewState::setHideFirstToken(bool on) {
    if (on == m_hideFirst) return;
    m_hideFirst = on;
    Q_EMIT changed();
}

void ViewState::setLinkDirection(LinkDirection direction) {
    if (direction == m_direction) return;
    m_direction = direction;
    Q_EMIT changed();
}

void ViewState::setResult(AnalysisResultPtr result) {
    const int pinned = m_result && result ? followPinnedToken(*m_result, m_pinned, *result) : -1;
    const bool focusMoved = pinned != m_pinned || m_hovered >= 0;
    m_result = std::move(result);
    m_pinned = pinned;
    m_hovered = -1;
    const core::AttentionTrace* t = m_result ? m_result->trace.get() : nullptr;
    if (t) setLimits(t->layers(), t->heads(), t->tokens());
    else setLimits(m_layers, m_heads, 0);
    if (focusMoved) Q_EMIT focusChanged();
}

void ViewState::setImageOptions(const ImageOptions& options) {
    ImageOptions o = options;
    o.opacity = std::clamp(o.opacity, 0.0f, 1.0f);
    o.discard = std::clamp(o.discard, 0.0f, 0.99f);
    o.keep = std::clamp(o.keep, 0.01f, 1.0f);
    if (o == m_image) return;
    m_image = o;
    Q_EMIT changed();
}

void ViewState::setHiddenHeads(QList<int> heads) {
    heads.erase(std::remove_if(heads.begin(), heads.end(), [this](int h) { return h < 0 || h >= m_heads; }), heads.end());
    std::sort(heads.begin(), heads.end());
    heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
    if (heads == m_hiddenHeads) return;
    m_hiddenHeads = heads;
    Q_EMIT changed();
}

void ViewState::toggleHead(int head) {
    if (head < 0 || head >= m_heads) return;
    QList<int> hidden = m_hiddenHeads;
    if (!hidden.removeOne(head)) hidden << head;
    setHiddenHeads(hidden);
}

void ViewState::soloHead(int head) {
    if (head < 0 || head >= m_heads) return;
    QList<int> others;
    for (int h = 0; h < m_heads; ++h)
        if (h != head) others << h;
    setHiddenHeads(m_hiddenHeads == others ? QList<int>() : others);
}

void ViewState::setQkProjection(QkProjection projection) {
    if (projection == m_qkProjection) return;
    m_qkProjection = projection;
    Q_EMIT changed();
}

void ViewState::setAggregate(AggregateMode mode) {
    if (mode == m_aggregate) return;
    m_aggregate = mode;
    Q_EMIT changed();
}

void ViewState::setValueWeighted(bool on) {
    if (on == m_valueWeighted) return;
    m_valueWeighted = on;
    Q_EMIT changed();
    Q_EMIT settingsChanged();
}

bool ViewState::isAblated(int layer, int head) const {
    return std::binary_search(m_ablated.begin(), m_ablated.end(), core::HeadRef{layer, head});
}

void ViewState::setAblated(std::vector<core::HeadRef> heads) {
    heads.erase(std::remove_if(heads.begin(), heads.end(),
                               [this](const core::HeadRef& r) { return r.layer < 0 || r.layer >= m_layers || r.head < 0 || r.head >= m_heads; }),
                heads.end());
    std::sort(heads.begin(), heads.end());
    heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
    if (heads == m_ablated) return;
    m_ablated = std::move(heads);
    Q_EMIT changed();
    Q_EMIT settingsChanged();
}

void ViewState::toggleAblated(int layer, int head) {
    std::vector<core::HeadRef> heads = m_ablated;
    const auto at = std::find(heads.begin(), heads.end(), core::HeadRef{layer, head});
    if (at != heads.end()) heads.erase(at);
    else heads.push_back({layer, head});
    setAblated(std::move(heads));
}

void ViewState::setLimits(int layers, int heads, int tokens) {
    if (std::max(1, heads) != m_heads || std::max(1, layers) != m_layers) {  // another model: its heads are new
        const bool hadAblated = !m_ablated.empty();
        m_ablated.clear();
        if (hadAblated) Q_EMIT settingsChanged();
    }
    m_layers = std::max(1, layers);
    if (std::max(1, heads) != m_heads) m_hiddenHeads.clear();  // another model: its heads are new
    m_heads = std::max(1, heads);
    m_tokens = std::max(0, tokens);
    m_layer = std::clamp(m_layer, 0, m_layers - 1);
    m_head = std::clamp(m_head, 0, m_heads - 1);
    if (m_hovered >= m_tokens) m_hovered = -1;
    if (m_pinned >= m_tokens) m_pinned = -1;
    Q_EMIT changed();
}

}  // namespace attnscope::ui
