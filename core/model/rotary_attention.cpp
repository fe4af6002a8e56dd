#include "model/rotary_attention.h"

#include "kernels/parallel_for.h"

#include <algorithm>

namespace attnscope::core {

void applyRope(float* x, int n, int heads, int d, const RopeTable& rope) {
    const int half = d / 2;
    for (int i = 0; i < n; ++i) {
        const float* c = rope.cos.data() + size_t(i) * size_t(half);  // (d/2)
        const float* s = rope.sin.data() + size_t(i) * size_t(half);
        for (int h = 0; h < heads; ++h) {
            float* v = x + (size_t(i) * size_t(heads) + size_t(h)) * size_t(d);  // (d)
            for (int k = 0; k < half; ++k) {
                const float a = v[k], b = v[k + half];
                v[k] = a * c[k] - b * s[k];         // x1 cos - x2 sin
                v[k + half] = b * c[k] + a * s[k];  // x2 cos + x1 sin
            }
        }
    }
}

RotaryAttention::RotaryAttention(const ForwardShape& shape, TraceSink* sink) : m_shape(shape), m_buffers(sink) {
    m_out.resize(size_t(shape.tokens) * size_t(shape.hidden));
}

void RotaryAttention::run(int layer, const Weights& w, const Options& o, const RopeTable& rope, const float* x, LayerTensors* t) {
    const int n = m_shape.tokens, d = m_shape.headDim, h = m_shape.heads, g = m_shape.keyValueHeads();
    const int qw = m_shape.qWidth(), kvw = m_shape.kvWidth(), group = h / g;
    const size_t square = size_t(n) * size_t(n);
    float* q = m_buffers.take(layer, TraceBuffer::Q, size_t(n) * size_t(qw));              // (n, h d)
    float* k = m_buffers.take(layer, TraceBuffer::K, size_t(n) * size_t(kvw));             // (n, g d)
    float* v = m_buffers.take(layer, TraceBuffer::V, size_t(n) * size_t(kvw));             // (n, g d)
    float* raw = m_buffers.take(layer, TraceBuffer::RawScores, square * size_t(h));        // (h, n, n)
    float* probs = m_buffers.take(layer, TraceBuffer::Probs, square * size_t(h));          // (h, n, n)
    float* scores = m_buffers.scores(layer, square * size_t(h));                           // (h, n, n) or null
    float* context = m_buffers.take(layer, TraceBuffer::Context, size_t(n) * size_t(qw));  // (n, h d)

    kernels::linear(w.q, x, n, q);
    kernels::linear(w.k, x, n, k);
    kernels::linear(w.v, x, n, v);
    if (w.qNorm) kernels::rmsNorm(q, n * h, d, w.qNorm, o.normEps, o.onePlusNormWeight, q);  // each head's q
    if (w.kNorm) kernels::rmsNorm(k, n * g, d, w.kNorm, o.normEps, o.onePlusNormWeight, k);
    applyRope(q, n, h, d, rope);
    applyRope(k, n, g, d, rope);

    const int parts = kernels::kOwnKernels ? std::max(1, std::min(kernels::threads(), h)) : 1;
    const auto qk = parts > 1 ? kernels::gemmABtHere : kernels::gemmABt;
    const auto pv = parts > 1 ? kernels::gemmABHere : kernels::gemmAB;
    kernels::parallelFor(parts, [&](int part) {
        for (int j = part * h / parts, end = (part + 1) * h / parts; j < end; ++j) {
            const size_t off = size_t(j) * square;
            const int kv = j / group;  // transformers' repeat_kv
            // raw (n, n) = q_j (n, d) . k_kv^T (d, n)
            qk(n, n, d, q + j * d, qw, k + kv * d, kvw, raw + off, n);
            kernels::windowedSoftmax(raw + off, n, o.scale, true, o.window, scores ? scores + off : nullptr, probs + off);
            // context_j (n, d) = probs (n, n) . v_kv (n, d)
            pv(n, d, n, probs + off, n, v + kv * d, kvw, context + j * d, qw);
        }
    });
    kernels::linear(w.out, context, n, m_out.data());

    describeAttention(layer, {x, q, k, v, raw, scores, probs, context, m_out.data()}, t);
}

}  // namespace attnscope::core
