#include "model/rotary_attention.h"

#include "kernels/packed_gemm.h"


#include <algorithm>

namespace attnscope::core {

namespace {

// Tokens [first, end) of x (n, heads, d) rotated by their angles.
void rotateTokens(float* x, int first, int end, int heads, int d, const RopeTable& rope) {
    const int half = d / 2;
    for (int i = first; i < end; ++i) {
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

}  // namespace

void applyRope(float* x, int n, int heads, int d, const RopeTable& rope) {
    kernels::forRows(n, int64_t(heads) * d, [&](int first, int end) { rotateTokens(x, first, end, heads, d, rope); });
}

RotaryAttention::RotaryAttention(const ForwardShape& shape, TraceSink* sink) : m_shape(shape), m_buffers(sink) {}

float* RotaryAttention::inputBuffer(int layer) {
    return m_buffers.take(layer, TraceBuffer::AttnInput, size_t(m_shape.tokens) * size_t(m_shape.hidden));  // (n, H)
}

void RotaryAttention::run(int layer, const Weights& w, const Options& o, const RopeTable& rope, const float* x, LayerTensors* t,
                          float* residual) {
    const int n = m_shape.tokens, d = m_shape.headDim, h = m_shape.heads, g = m_shape.keyValueHeads();
    const int qw = m_shape.qWidth(), kvw = m_shape.kvWidth(), group = h / g;
    float* q = m_buffers.take(layer, TraceBuffer::Q, size_t(n) * size_t(qw));              // (n, h d)
    float* k = m_buffers.take(layer, TraceBuffer::K, size_t(n) * size_t(kvw));             // (n, g d)
    float* v = m_buffers.take(layer, TraceBuffer::V, size_t(n) * size_t(kvw));             // (n, g d)
    float* context = m_buffers.take(layer, TraceBuffer::Context, size_t(n) * size_t(qw));  // (n, h d)
    float* out = m_buffers.take(layer, TraceBuffer::AttnOutput, size_t(n) * size_t(m_shape.hidden));  // (n, H)

    float* const qkv[] = {q, k, v};
    kernels::linearFused({&w.q, &w.k, &w.v}, w.qkv.get(), x, n, qkv);
    if (w.qNorm) kernels::rmsNorm(q, n * h, d, w.qNorm, o.normEps, o.onePlusNormWeight, q);  // each head's q
    if (w.kNorm) kernels::rmsNorm(k, n * g, d, w.kNorm, o.normEps, o.onePlusNormWeight, k);
    applyRope(q, n, h, d, rope);
    applyRope(k, n, g, d, rope);

    const auto blocks = m_buffers.computeHeads(layer, {n, d, h, group, q, k, v, qw, kvw, context, true},
                                               [&](const float* raw, float* scores, float* probs) {
                                                   kernels::windowedSoftmax(raw, n, o.scale, true, o.window, scores, probs);
                                               });
    kernels::linearResidual(w.out, context, n, out, residual);

    const float* norms = m_buffers.valueNorms(layer, {n, d, h, group, q, k, v, qw, kvw, context}, w.out);
    describeAttention(layer, {x, q, k, v, blocks.scores, blocks.probs, context, out}, t);
    t->valueNorms = norms;
    t->window = o.window;
    t->ropeCos = rope.cos.data();
    t->ropeSin = rope.sin.data();
}

}  // namespace attnscope::core
