#include "model/attention_buffers.h"

#include "kernels/kernels.h"
#include "kernels/parallel_for.h"

#include <algorithm>

namespace attnscope::core {

float* AttentionBuffers::take(int layer, TraceBuffer which, size_t count) {
    if (m_sink)
        if (float* p = m_sink->buffer(layer, which)) return p;
    std::vector<float>& scratch = m_scratch[int(which)];
    if (scratch.size() < count) scratch.resize(count);
    return scratch.data();
}

AttentionBuffers::Blocks AttentionBuffers::computeHeads(int layer, const Heads& in, const Softmax& softmax) {
    const int n = in.n, d = in.d;
    const size_t square = size_t(n) * size_t(n);
    Blocks b;
    b.probs = m_sink ? m_sink->buffer(layer, TraceBuffer::Probs) : nullptr;
    if (b.probs) {  // the sink keeps every block
        b.raw = take(layer, TraceBuffer::RawScores, square * size_t(in.heads));
        if (m_sink->wantsScores()) b.scores = take(layer, TraceBuffer::Scores, square * size_t(in.heads));
    }
    // Heads are independent: with our own kernels, a share of them on each BLAS thread, each head's
    // small products (n x d) on its own core; otherwise one after another, BLAS threaded.
    const int parts = kernels::kOwnKernels ? std::max(1, std::min(kernels::threads(), in.heads)) : 1;
    const auto qk = parts > 1 ? kernels::gemmABtHere : kernels::gemmABt;
    const auto pv = parts > 1 ? kernels::gemmABHere : kernels::gemmAB;
    if (!b.probs) {
        m_headScratch.resize(size_t(parts));
        for (auto& s : m_headScratch) s.resize(2 * square);
    }
    kernels::parallelFor(parts, [&](int part) {
        for (int j = part * in.heads / parts, end = (part + 1) * in.heads / parts; j < end; ++j) {
            const int kv = j / in.group;  // transformers' repeat_kv
            float* raw = b.probs ? b.raw + size_t(j) * square : m_headScratch[size_t(part)].data();  // (n, n)
            float* probs = b.probs ? b.probs + size_t(j) * square : raw + square;                    // (n, n)
            float* scores = b.scores ? b.scores + size_t(j) * square : nullptr;
            // raw (n, n) = q_j (n, d) . k_kv^T (d, n)
            qk(n, n, d, in.q + j * d, in.ldq, in.k + kv * d, in.ldkv, raw, n);
            softmax(raw, scores, probs);
            // context_j (n, d) = probs (n, n) . v_kv (n, d)
            pv(n, d, n, probs, n, in.v + kv * d, in.ldkv, in.context + j * d, in.ldq);
            if (!b.probs && m_sink) m_sink->headProbs(layer, j, raw, probs);
        }
    });
    return b;
}

void describeAttention(int layer, const AttentionOutputs& o, LayerTensors* t) {
    t->layer = layer;
    t->attnInput = o.input;
    t->q = o.q;
    t->k = o.k;
    t->v = o.v;
    t->rawScores = o.raw;
    t->scores = o.scores;
    t->probs = o.probs;
    t->context = o.context;
    t->attnOutput = o.output;
}

}  // namespace attnscope::core
