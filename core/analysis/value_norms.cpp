#include "analysis/value_norms.h"

#include <algorithm>

namespace attnscope::core {

std::vector<float> valueWeightedNorms(const AttentionTrace& trace, int layer, int head) {
    const int n = trace.tokens();
    std::vector<float> norms(size_t(n) * size_t(n));  // (n, n)
    const HeadMatrices m = trace.head(layer, head);
    const float* f = trace.valueNorms(layer, head);   // (n)
    for (int i = 0; i < n; ++i) {
        const float* a = m.probsRow(i);
        float* out = norms.data() + size_t(i) * size_t(n);
        for (int j = 0; j < n; ++j) out[j] = a[j] * f[j];
    }
    return norms;
}

namespace {

// Copies n floats into the recorder's buffer for one layer.
void copyInto(TraceRecorder& r, int layer, TraceBuffer which, const float* from, size_t n) {
    std::copy_n(from, n, r.buffer(layer, which));
}

}  // namespace

Result<std::shared_ptr<const AttentionTrace>> valueWeightedTrace(const AttentionTrace& trace) {
    if (!trace.hasValueNorms())
        return inputError(QStringLiteral("this trace has no value norms (the forward pass did not compute them)"));
    const ForwardShape& shape = trace.shape();
    if (TraceRecorder::rebuildsHeads(shape, TraceRecorder::Mode::Auto))
        return inputError(QStringLiteral("value-weighted norms hold every head's matrix; %1 tokens is too long for that "
                                         "(shorten the text)")
                              .arg(shape.tokens));
    const int n = shape.tokens, h = shape.heads;
    const size_t square = size_t(n) * size_t(n);
    const size_t qRows = size_t(n) * size_t(shape.qWidth()), kvRows = size_t(n) * size_t(shape.kvWidth());
    TraceRecorder r(TraceRecorder::Mode::Full);
    r.setValueNorms(true);
    r.begin(shape);
    if (trace.hasHidden())
        for (int i = 0; i <= shape.layers; ++i) r.hiddenState(i, trace.hiddenState(i));
    for (int l = 0; l < shape.layers; ++l) {
        copyInto(r, l, TraceBuffer::Q, trace.q(l), qRows);
        copyInto(r, l, TraceBuffer::K, trace.k(l), kvRows);
        copyInto(r, l, TraceBuffer::V, trace.v(l), kvRows);
        copyInto(r, l, TraceBuffer::Context, trace.context(l), qRows);
        float* scores = trace.hasScores() ? r.buffer(l, TraceBuffer::Scores) : nullptr;
        float* probs = r.buffer(l, TraceBuffer::Probs);
        std::vector<float> norms(size_t(h) * size_t(n));  // (h, n)
        for (int j = 0; j < h; ++j) {
            const HeadMatrices m = trace.head(l, j);
            if (scores) std::copy_n(m.scores(), square, scores + size_t(j) * square);
            const std::vector<float> w = valueWeightedNorms(trace, l, j);
            float* p = probs + size_t(j) * square;
            for (int a = 0; a < n; ++a) {  // each row as shares of its total
                const float* row = w.data() + size_t(a) * size_t(n);
                double sum = 0;
                for (int b = 0; b < n; ++b) sum += row[b];
                for (int b = 0; b < n; ++b) p[size_t(a) * size_t(n) + size_t(b)] = sum > 0 ? float(row[b] / sum) : 0.0f;
            }
            std::copy_n(trace.valueNorms(l, j), n, norms.data() + size_t(j) * size_t(n));
        }
        LayerTensors t;
        t.layer = l;
        t.attnInput = trace.attnInput(l);
        t.q = trace.q(l);
        t.scores = scores;
        t.probs = probs;
        t.attnOutput = trace.attnOutput(l);
        t.window = trace.window(l);
        t.ropeCos = trace.ropeCos(l);
        t.ropeSin = trace.ropeSin(l);
        t.valueNorms = norms.data();
        r.layer(t);
    }
    return std::shared_ptr<const AttentionTrace>(r.take());
}

}  // namespace attnscope::core
