#pragma once

#include "kernels/gemm_tile.h"
#include "kernels/kernels.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace attnscope::core::kernels {

// A dense layer's weights rearranged once, at load, into the panels the micro-kernels read:
// panel p holds kPanelWidth output columns for every input, (in, kPanelWidth) row-major, zero past
// the layer's last column, 64-byte aligned in huge pages (packed_memory.h). nn.Linear's (out, in)
// and Conv1D's (in, out) storage pack to the same layout. 16-bit weights stay 16-bit (widened in the kernel). Several layers reading the
// same input (Q, K and V) pack side by side as segments of one product: each segment starts a panel.
class PackedLinear {
public:
    struct Panel {
        int segment = 0;  // which of the packed layers
        int column = 0;   // its first output column within that layer
        int width = 0;    // output columns held, 1 .. kPanelWidth
    };

    // Packs the layers (same `in` and weight type; each with weights) side by side.
    static std::shared_ptr<const PackedLinear> pack(const std::vector<const Linear*>& layers);

    int in() const { return m_in; }
    WeightType type() const { return m_type; }
    int segments() const { return int(m_widths.size()); }
    int width(int segment) const { return m_widths[size_t(segment)]; }
    int panels() const { return int(m_panels.size()); }
    const Panel& panel(int p) const { return m_panels[size_t(p)]; }
    // Panel p from input index k on: (in - k, kPanelWidth) values of type().
    const void* panelData(int p, int k) const;
    // The panel's bias (kPanelWidth, zero-padded), or null when its layer has none.
    const float* bias(int p) const { return m_hasBias[size_t(m_panels[size_t(p)].segment)] ? m_bias.data() + size_t(p) * kPanelWidth : nullptr; }
    uint64_t bytes() const { return m_bytes; }

private:
    int m_in = 0;
    WeightType m_type = WeightType::F32;
    std::vector<int> m_widths;
    std::vector<bool> m_hasBias;
    std::vector<Panel> m_panels;
    std::vector<float> m_bias;  // (panels, kPanelWidth)
    std::shared_ptr<void> m_data;  // (panels, in, kPanelWidth), from allocatePacked
    uint64_t m_bytes = 0;
};

// A float32 layer's panels written into dst ((out + 31) / 32 panels of (in, kPanelWidth)): the same
// layout as PackedLinear, for operands packed per call (attention's k and v).
void packFloatPanels(const Linear& layer, float* dst);

// Bytes PackedLinear::pack would allocate for these layers (for the memory budget).
uint64_t packedBytes(const std::vector<const Linear*>& layers);

}  // namespace attnscope::core::kernels
