#include "model/attention_buffers.h"

#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "kernels/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cmath>

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
    if (b.probs && m_sink->wantsScores()) b.scores = take(layer, TraceBuffer::Scores, square * size_t(in.heads));
    // Heads are independent: with our own kernels, shared among the threads, each head's
    // small products (n x d) on its own core (the packed micro-kernels, k and v packed per head, or
    // Eigen); otherwise one after another, BLAS threaded.
    const bool own = kernels::packingEnabled() || kernels::kOwnKernels;
    const int parts = own ? std::max(1, std::min(kernels::threads(), in.heads)) : 1;
    m_headScratch.resize(size_t(parts));
    for (auto& s : m_headScratch)
        if (!s || s.get_deleter().capacity < 2 * square) s = FloatPool::acquire(2 * square);
    m_packScratch.resize(size_t(parts));
    std::atomic<int> nextHead{0};
    kernels::parallelFor(parts, [&](int part) {
        // Heads taken one at a time (a core that started late or runs slower takes fewer).
        for (int j; (j = nextHead.fetch_add(1, std::memory_order_relaxed)) < in.heads;) {
            const int kv = j / in.group;  // transformers' repeat_kv
            float* raw = m_headScratch[size_t(part)].get();  // (n, n)
            float* probs = b.probs ? b.probs + size_t(j) * square : raw + square;                    // (n, n)
            float* scores = b.scores ? b.scores + size_t(j) * square : nullptr;
            std::vector<float>& pack = m_packScratch[size_t(part)];
            // raw (n, n) = q_j (n, d) . k_kv^T (d, n); when causal, entries after the diagonal may be left unwritten
            if (own)
                kernels::productHere(in.q + j * d, in.ldq, n, d, in.k + kv * d, in.ldkv, false, n, raw, n, pack, in.causal);
            else
                kernels::gemmABt(n, n, d, in.q + j * d, in.ldq, in.k + kv * d, in.ldkv, raw, n);
            softmax(raw, scores, probs);
            // context_j (n, d) = probs (n, n) . v_kv (n, d)
            if (own)
                kernels::productHere(probs, n, n, n, in.v + kv * d, in.ldkv, true, d, in.context + j * d, in.ldq, pack, in.causal);
            else
                kernels::gemmAB(n, d, n, probs, n, in.v + kv * d, in.ldkv, in.context + j * d, in.ldq);
            if (m_sink && m_sink->ablated(layer, j))  // switched off: no context reaches W_O
                for (int i = 0; i < n; ++i) std::fill_n(in.context + int64_t(i) * in.ldq + j * d, d, 0.0f);
            if (!b.probs && m_sink) m_sink->headProbs(layer, j, raw, probs);
        }
    });
    return b;
}

const float* AttentionBuffers::valueNorms(int layer, const Heads& in, const kernels::Linear& out) {
    (void)layer;
    if (!m_sink || !m_sink->wantsValueNorms()) return nullptr;
    const int n = in.n, d = in.d, H = out.out;
    m_norms.resize(size_t(in.heads) * size_t(n));
    m_packed.resize(size_t(n) * size_t(d));
    m_through.resize(size_t(n) * size_t(H));
    for (int j = 0; j < in.heads; ++j) {
        const int kv = j / in.group;
        for (int i = 0; i < n; ++i)  // packed (n, d) = v_kv
            std::copy_n(in.v + int64_t(i) * in.ldkv + kv * d, d, m_packed.data() + size_t(i) * size_t(d));
        // through (n, H) = packed . W_O|_h (the head's d input columns, no bias)
        kernels::linear(kernels::inputSlice(out, j * d, d), m_packed.data(), n, m_through.data());
        for (int i = 0; i < n; ++i) {
            const float* row = m_through.data() + size_t(i) * size_t(H);
            double sum = 0;
            for (int c = 0; c < H; ++c) sum += double(row[c]) * double(row[c]);
            m_norms[size_t(j) * size_t(n) + size_t(i)] = float(std::sqrt(sum));
        }
    }
    return m_norms.data();
}

void describeAttention(int layer, const AttentionOutputs& o, LayerTensors* t) {
    t->layer = layer;
    t->attnInput = o.input;
    t->q = o.q;
    t->k = o.k;
    t->v = o.v;
    t->scores = o.scores;
    t->probs = o.probs;
    t->context = o.context;
    t->attnOutput = o.output;
}

}  // namespace attnscope::core
