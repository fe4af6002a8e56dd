#include "model/attention_block.h"

#include "kernels/packed_gemm.h"

#include "kernels/parallel_for.h"

#include <algorithm>
#include <cmath>

namespace attnscope::core {

AttentionBlock::AttentionBlock(const ForwardShape& shape, TraceSink* sink) : m_shape(shape), m_buffers(sink) {}

float* AttentionBlock::inputBuffer(int layer) {
    return m_buffers.take(layer, TraceBuffer::AttnInput, size_t(m_shape.tokens) * size_t(m_shape.hidden));  // (n, H)
}

void AttentionBlock::run(int layer, const Weights& w, const float* x, LayerTensors* t, float* residual) {
    const int n = m_shape.tokens, H = m_shape.hidden, d = m_shape.headDim;
    const size_t rows = size_t(n) * size_t(H);
    float* q = m_buffers.take(layer, TraceBuffer::Q, rows);                // (n, H)
    float* k = m_buffers.take(layer, TraceBuffer::K, rows);                // (n, H)
    float* v = m_buffers.take(layer, TraceBuffer::V, rows);                // (n, H)
    float* context = m_buffers.take(layer, TraceBuffer::Context, rows);    // (n, H)
    float* out = m_buffers.take(layer, TraceBuffer::AttnOutput, rows);     // (n, H)

    float* const qkv[] = {q, k, v};
    kernels::linearFused({&w.q, &w.k, &w.v}, w.qkv.get(), x, n, qkv);

    const float sqrtD = std::sqrt(float(d));
    const bool causal = m_shape.causal;
    // Heads are column blocks of q, k, v and context (stride H).
    const auto blocks = m_buffers.computeHeads(layer, {n, d, m_shape.heads, 1, q, k, v, H, H, context, causal},
                                               [&](const float* raw, float* scores, float* probs) {
                                                   kernels::scaledMaskedSoftmax(raw, n, sqrtD, causal, scores, probs);
                                               });
    kernels::linearResidual(w.out, context, n, out, residual);

    const float* norms = m_buffers.valueNorms(layer, {n, d, m_shape.heads, 1, q, k, v, H, H, context}, w.out);
    describeAttention(layer, {x, q, k, v, blocks.scores, blocks.probs, context, out}, t);
    t->valueNorms = norms;
}

}  // namespace attnscope::core
