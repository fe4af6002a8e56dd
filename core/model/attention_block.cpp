#include "model/attention_block.h"

#include "kernels/parallel_for.h"

#include <algorithm>
#include <cmath>

namespace attnscope::core {

AttentionBlock::AttentionBlock(const ForwardShape& shape, TraceSink* sink) : m_shape(shape), m_buffers(sink) {
    m_out.resize(size_t(shape.tokens) * size_t(shape.hidden));
}

void AttentionBlock::run(int layer, const Weights& w, const float* x, LayerTensors* t) {
    const int n = m_shape.tokens, H = m_shape.hidden, d = m_shape.headDim;
    const size_t rows = size_t(n) * size_t(H);
    const size_t square = size_t(n) * size_t(n);
    const size_t squares = square * size_t(m_shape.heads);

    float* q = m_buffers.take(layer, TraceBuffer::Q, rows);                // (n, H)
    float* k = m_buffers.take(layer, TraceBuffer::K, rows);                // (n, H)
    float* v = m_buffers.take(layer, TraceBuffer::V, rows);                // (n, H)
    float* raw = m_buffers.take(layer, TraceBuffer::RawScores, squares);   // (h, n, n)
    float* probs = m_buffers.take(layer, TraceBuffer::Probs, squares);     // (h, n, n)
    float* scores = m_buffers.scores(layer, squares);                      // (h, n, n) or null
    float* context = m_buffers.take(layer, TraceBuffer::Context, rows);    // (n, H)

    kernels::linear(w.q, x, n, q);
    kernels::linear(w.k, x, n, k);
    kernels::linear(w.v, x, n, v);

    const float sqrtD = std::sqrt(float(d));
    // Heads are independent: with our own kernels, a share of them on each BLAS thread, each head's
    // small products (n x d_head) on its own core; otherwise one after another, BLAS threaded.
    const int parts = kernels::kOwnKernels ? std::max(1, std::min(kernels::threads(), m_shape.heads)) : 1;
    const auto qk = parts > 1 ? kernels::gemmABtHere : kernels::gemmABt;
    const auto pv = parts > 1 ? kernels::gemmABHere : kernels::gemmAB;
    kernels::parallelFor(parts, [&](int part) {
        for (int h = part * m_shape.heads / parts, end = (part + 1) * m_shape.heads / parts; h < end; ++h) {
            const size_t off = size_t(h) * square;
            // raw (n, n) = q_h (n, d) . k_h^T (d, n); heads are column blocks of q and k (stride H).
            qk(n, n, d, q + h * d, H, k + h * d, H, raw + off, n);
            kernels::scaledMaskedSoftmax(raw + off, n, sqrtD, m_shape.causal, scores ? scores + off : nullptr,
                                         probs + off);
            // context_h (n, d) = probs (n, n) . v_h (n, d)
            pv(n, d, n, probs + off, n, v + h * d, H, context + h * d, H);
        }
    });
    kernels::linear(w.out, context, n, m_out.data());

    describeAttention(layer, {x, q, k, v, raw, scores, probs, context, m_out.data()}, t);
}

}  // namespace attnscope::core
