#pragma once

#include "kernels/kernels.h"
#include "model/attention_buffers.h"
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
        std::shared_ptr<const kernels::PackedLinear> qkv;  // q, k, v packed side by side, or null
    };

    AttentionBlock(const ForwardShape& shape, TraceSink* sink);

    // x (n, H) -> attnOutput (n, H) (before the residual); fills tensors for the sink. With a
    // residual (n, H), adds the output to it in the same pass.
    void run(int layer, const Weights& w, const float* x, LayerTensors* tensors, float* residual = nullptr);
    // Where the model writes layer's input (n, H) for run() (pre-LN: normalised; BERT: a copy of the
    // residual stream): the sink's memory when it records (not copied again), else scratch.
    float* inputBuffer(int layer);

private:
    ForwardShape m_shape;
    AttentionBuffers m_buffers;
};

}  // namespace attnscope::core
