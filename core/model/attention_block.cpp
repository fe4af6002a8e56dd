#include "model/attention_block.h"

#include "kernels/parallel_for.h"

#include <algorithm>
#include <cmath>

namespace attnscope::core {

AttentionBlock::AttentionBlock(const ForwardShape& shape, TraceSink* sink) : m_shape(shape), m_sink(sink) {
    m_out.resize(size_t(shape.tokens) * size_t(shape.hidden));
}

float* AttentionBlock::take(int layer, TraceBuffer which, std::vector<float>& scratch, size_t count) {
    if (m_sink)
        if (float* p = m_sink->buffer(layer, which)) return p;
    if (scratch.size() < count) scratch.resize(count);
    return scratch.data();
}

void AttentionBlock::run(int layer, const Weights& w, const float* x, LayerTensors* t) {
    const int n = m_shape.tokens, H = m_shape.hidden, d = m_shape.headDim;
    const size_t rows = size_t(n) * size_t(H);
    const size_t square = size_t(n) * size_t(n);
    const size_t squares = square * size_t(m_shape.heads);

    float* q = take(layer, TraceBuffer::Q, m_q, rows);        // (n, H)
    float* k = take(layer, TraceBuffer::K, m_k, rows);        // (n, H)
    float* v = take(layer, TraceBuffer::V, m_v, rows);        // (n, H)
    float* raw = take(layer, TraceBuffer::RawScores, m_raw, squares);  // (h, n, n)
    float* probs = take(layer, TraceBuffer::Probs, m_probs, squares);  // (h, n, n)
    float* scores = (m_sink && m_sink->wantsScores())
                        ? take(layer, TraceBuffer::Scores, m_scores, squares)
                        : nullptr;  // (h, n, n)
    float* context = take(layer, TraceBuffer::Context, m_context, rows);  // (n, H)

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

    t->layer = layer;
    t->attnInput = x;
    t->q = q;
    t->k = k;
    t->v = v;
    t->rawScores = raw;
    t->scores = scores;
    t->probs = probs;
    t->context = context;
    t->attnOutput = m_out.data();
}

}  // namespace attnscope::core
