#include "model/pre_ln_block.h"

#include "kernels/packed_gemm.h"

namespace attnscope::core {

PreLnBlock::PreLnBlock(const ForwardShape& shape, const ModelConfig& config, TraceSink* sink)
    : m_shape(shape), m_config(config), m_sink(sink), m_attention(shape, sink) {
    const size_t rows = size_t(shape.tokens) * size_t(shape.hidden);
    m_a.resize(rows);
    m_mlpLd = kernels::inputStride(config.intermediate);
    m_mlp.resize(size_t(shape.tokens) * size_t(m_mlpLd));
    m_mlpOut.resize(rows);
}

void PreLnBlock::run(int layer, const Weights& w, float* x) {
    const int n = m_shape.tokens, H = m_shape.hidden;
    const float eps = m_config.layerNormEps;
    // x += attn(ln_1(x)), the sum taken as the output projection stores
    float* attnIn = m_attention.inputBuffer(layer);  // (n, H) ln_1(x), in the trace when recording
    kernels::layerNorm(x, n, H, w.ln1.gamma, w.ln1.beta, eps, attnIn);
    LayerTensors t;
    m_attention.run(layer, w.attn, attnIn, &t, x);
    // x += proj(act(fc(ln_2(x))))
    kernels::layerNorm(x, n, H, w.ln2.gamma, w.ln2.beta, eps, m_a.data());
    kernels::linearActivated(w.fc, m_config.activation, m_a.data(), n, m_mlp.data(), m_mlpLd);
    kernels::linearResidual(w.proj, m_mlp.data(), m_mlpLd, n, m_mlpOut.data(), x);
    t.output = x;
    if (m_sink) m_sink->layer(t);
}

}  // namespace attnscope::core
