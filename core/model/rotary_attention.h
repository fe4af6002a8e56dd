#pragma once

#include "kernels/kernels.h"
#include "model/attention_buffers.h"
#include "trace/trace_sink.h"

#include <cstddef>
#include <vector>

namespace attnscope::core {

// cos and sin of every (position, frequency) pair: (n, d/2) each, in float32 as transformers
// computes them (inverse frequencies from theta and rope_scaling, angle = position * frequency).
struct RopeTable {
    int half = 0;
    std::vector<float> cos, sin;  // (n, d/2)
};

// Rotary self-attention of the decoders: q, k, v projections (k and v with fewer heads under
// grouped-query attention), optional per-head RMSNorm of q and k, RoPE (half-split), scores
// q.k * scale with a causal (and sliding-window) mask, softmax, context, output projection.
class RotaryAttention {
public:
    struct Weights {
        kernels::Linear q, k, v;  // (H) -> (h d), (g d), (g d)
        kernels::Linear out;      // (h d) -> (H)
        std::shared_ptr<const kernels::PackedLinear> qkv;  // q, k, v packed side by side, or null
        const float* qNorm = nullptr;  // (d) or null
        const float* kNorm = nullptr;
    };
    struct Options {
        float scale = 1;       // multiplies q.k
        int window = 0;        // sliding window (0: none)
        float normEps = 1e-6f;
        bool onePlusNormWeight = false;  // Gemma's norms
    };

    RotaryAttention(const ForwardShape& shape, TraceSink* sink);

    // x (n, H) -> attnOutput (n, H) (before the residual); fills tensors for the sink. With a
    // residual (n, H), adds the output to it in the same pass.
    void run(int layer, const Weights& w, const Options& o, const RopeTable& rope, const float* x, LayerTensors* tensors,
             float* residual = nullptr);
    // Where the decoder writes layer's normalised input (n, H) for run(): the sink's memory when it
    // records (nothing copied), else scratch.
    float* inputBuffer(int layer);

private:
    ForwardShape m_shape;
    AttentionBuffers m_buffers;
};

// Rotates each head's vectors in place: x (n, heads, d) -> x cos + rotate_half(x) sin.
void applyRope(float* x, int n, int heads, int d, const RopeTable& rope);

}  // namespace attnscope::core
