#pragma once

#include "kernels/kernels.h"
#include "trace/trace_sink.h"

#include <cstddef>
#include <vector>

namespace attnscope::core {

// Multi-head self-attention shared by every family: projections, per-head scores, softmax,
// context and output projection. Buffers come from the TraceSink when it records, else from
// scratch owned here.
class AttentionBlock {
public:
    struct Weights {
        kernels::Linear q, k, v;  // (H) -> (H)
        kernels::Linear out;      // (H) -> (H)
    };

    AttentionBlock(const ForwardShape& shape, TraceSink* sink);

    // x (n, H) -> attnOutput (n, H) (before the residual); fills tensors for the sink.
    void run(int layer, const Weights& w, const float* x, LayerTensors* tensors);

private:
    float* take(int layer, TraceBuffer which, std::vector<float>& scratch, size_t count);

    ForwardShape m_shape;
    TraceSink* m_sink;
    std::vector<float> m_q, m_k, m_v, m_raw, m_scores, m_probs, m_context, m_out;
};

}  // namespace attnscope::core
