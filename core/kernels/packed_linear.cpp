#include "kernels/packed_linear.h"

#include "kernels/packed_memory.h"
#include "kernels/parallel_for.h"

#include <algorithm>
#include <cstring>

namespace attnscope::core::kernels {
namespace {

size_t elementBytes(WeightType type) { return type == WeightType::F32 ? sizeof(float) : sizeof(uint16_t); }

int panelsOf(int out) { return (out + kPanelWidth - 1) / kPanelWidth; }

// dst (in, kPanelWidth) = columns [c0, c0 + width) of the layer's weights, zeros beyond width.
template <class T>
void packPanel(const Linear& L, const T* w, int c0, int width, T* dst) {
    const size_t ldw = size_t(L.ldw);
    if (width < kPanelWidth)  // zeros past the last column (attention heads pack per head: not on every panel)
        std::memset(static_cast<void*>(dst), 0, size_t(L.in) * kPanelWidth * sizeof(T));
    if (L.inByOut) {  // Conv1D (in, ldw): row k's columns are contiguous
        for (int k = 0; k < L.in; ++k) std::memcpy(dst + size_t(k) * kPanelWidth, w + size_t(k) * ldw + size_t(c0), size_t(width) * sizeof(T));
        return;
    }
    for (int j = 0; j < width; ++j) {  // nn.Linear (out, ldw): output column c0 + j is a row
        const T* row = w + size_t(c0 + j) * ldw;
        for (int k = 0; k < L.in; ++k) dst[size_t(k) * kPanelWidth + size_t(j)] = row[k];
    }
}

}  // namespace

void packFloatPanels(const Linear& layer, float* dst) {
    for (int c = 0, p = 0; c < layer.out; c += kPanelWidth, ++p)
        packPanel(layer, layer.w, c, std::min(kPanelWidth, layer.out - c), dst + size_t(p) * size_t(layer.in) * kPanelWidth);
}

uint64_t packedBytes(const std::vector<const Linear*>& layers) {
    uint64_t panels = 0;
    for (const Linear* L : layers) panels += uint64_t(panelsOf(L->out));
    const Linear* first = layers.empty() ? nullptr : layers.front();
    return first ? panels * uint64_t(first->in) * kPanelWidth * elementBytes(first->type) : 0;
}

const void* PackedLinear::panelData(int p, int k) const {
    const size_t element = elementBytes(m_type);
    return static_cast<const char*>(m_data.get()) + (size_t(p) * size_t(m_in) + size_t(k)) * kPanelWidth * element;
}

std::shared_ptr<const PackedLinear> PackedLinear::pack(const std::vector<const Linear*>& layers) {
    auto packed = std::make_shared<PackedLinear>();
    if (layers.empty()) return packed;
    packed->m_in = layers.front()->in;
    packed->m_type = layers.front()->type;
    for (int s = 0; s < int(layers.size()); ++s) {
        const Linear& L = *layers[size_t(s)];
        packed->m_widths.push_back(L.out);
        packed->m_hasBias.push_back(L.b != nullptr);
        for (int c = 0; c < L.out; c += kPanelWidth) packed->m_panels.push_back({s, c, std::min(kPanelWidth, L.out - c)});
    }
    const int panels = packed->panels();
    packed->m_bias.assign(size_t(panels) * kPanelWidth, 0.0f);
    packed->m_bytes = packedBytes(layers);
    packed->m_data = allocatePacked(size_t(packed->m_bytes));
    const int parts = std::max(1, std::min(panels, threads()));
    parallelFor(parts, [&](int part) {
        for (int p = part; p < panels; p += parts) {
            const Panel& panel = packed->m_panels[size_t(p)];
            const Linear& L = *layers[size_t(panel.segment)];
            if (L.b) std::copy_n(L.b + panel.column, panel.width, packed->m_bias.begin() + ptrdiff_t(size_t(p) * kPanelWidth));
            void* dst = const_cast<void*>(packed->panelData(p, 0));
            if (L.type == WeightType::F32)
                packPanel(L, L.w, panel.column, panel.width, static_cast<float*>(dst));
            else
                packPanel(L, L.w16, panel.column, panel.width, static_cast<uint16_t*>(dst));
        }
    });
    return packed;
}

}  // namespace attnscope::core::kernels
