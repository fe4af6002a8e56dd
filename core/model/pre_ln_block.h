#pragma once

#include "model/attention_block.h"
#include "model/model_config.h"
#include "model/weight_loader.h"

#include <vector>

namespace attnscope::core {

// A pre-LayerNorm transformer block (GPT-2, ViT): x += attn(ln_1(x)); x += proj(act(fc(ln_2(x)))).
class PreLnBlock {
public:
    struct Weights {
        NormWeights ln1;
        AttentionBlock::Weights attn;
        NormWeights ln2;
        kernels::Linear fc;    // (H) -> (I)
        kernels::Linear proj;  // (I) -> (H)
    };

    PreLnBlock(const ForwardShape& shape, const ModelConfig& config, TraceSink* sink);

    // x (n, H) in place; reports the layer's tensors to the sink.
    void run(int layer, const Weights& w, float* x);

private:
    ForwardShape m_shape;
    const ModelConfig& m_config;
    TraceSink* m_sink;
    AttentionBlock m_attention;
    std::vector<float> m_a, m_mlp, m_mlpOut;  // (n, H) ln_2(x), (n, m_mlpLd) its first I columns, (n, H)
    int64_t m_mlpLd = 0;                      // kernels::inputStride(I)
};

}  // namespace attnscope::core
