#include "trace/attention_trace.h"

#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "trace/head_summary.h"
#include "util/memory_budget.h"

#include <algorithm>
#include <cmath>

namespace attnscope::core {

float* AttentionTrace::Buffer::assign(const float* from, size_t n) {
    kernels::copyValues(from, int64_t(n), resize(n));
    return m_data.get();
}

size_t AttentionTrace::bytes() const {
    size_t total = 0;
    for (const auto& h : m_hidden) total += h.size();
    for (const auto& l : m_layers)
        total += l.attnInput.size() + l.q.size() + l.k.size() + l.v.size() +
                 l.context.size() + l.attnOutput.size() + l.scores.size() +
                 l.probs.size() + l.valueNorms.size();
    total += m_thumbs.size() + m_thumbsHidden.size() + 2 * m_sinkShare.size() + m_logSumExp.size();
    return total * sizeof(float) + (m_store ? size_t(m_store->keptBytes()) : 0);
}

HeadMatrices AttentionTrace::head(int layer, int head) const {
    HeadMatrices m;
    m.m_n = tokens();
    if (m_store && !m_rebuilt) {  // a file's matrices: where they are mapped (F32), else widened into the bounded cache
        const bool scores = m_store->has(TraceStore::Scores, layer);
        if (m_store->mapped(TraceStore::Attentions, layer, head) && (!scores || m_store->mapped(TraceStore::Scores, layer, head))) {
            m.m_probs = m_store->block(TraceStore::Attentions, layer, head);
            if (scores) m.m_scores = m_store->block(TraceStore::Scores, layer, head);
            return m;
        }
        m.m_keep = m_cache->get(layer, head, [&] {
            auto block = std::make_shared<HeadBlock>();
            block->probs.resize(size_t(m.m_n) * size_t(m.m_n));  // (n, n)
            m_store->read(TraceStore::Attentions, layer, head, block->probs.data());
            if (scores) {
                block->scores.resize(block->probs.size());  // (n, n)
                m_store->read(TraceStore::Scores, layer, head, block->scores.data());
            }
            return std::shared_ptr<const HeadBlock>(block);
        });
        m.m_probs = m.m_keep->probs.data();
        if (scores) m.m_scores = m.m_keep->scores.data();
        return m;
    }
    if (!m_rebuilt) {
        const Layer& l = m_layers[size_t(layer)];
        m.m_rawFrom = this;
        m.m_layer = layer;
        m.m_head = head;
        m.m_scores = headBlock(l.scores, head);
        m.m_probs = headBlock(l.probs, head);
        return m;
    }
    m.m_keep = m_cache->get(layer, head, [&] { return rebuild(layer, head); });
    m.m_raw = m.m_keep->raw.data();
    m.m_probs = m.m_keep->probs.data();
    return m;
}

const float* HeadMatrices::raw() const {
    if (!m_raw && m_rawFrom) {
        m_rawKeep = m_rawFrom->rebuildRaw(m_layer, m_head);
        m_raw = m_rawKeep->raw.data();
    }
    return m_raw;
}

std::shared_ptr<const HeadBlock> AttentionTrace::rebuildRaw(int layer, int head) const {
    return m_cache->get(layer, head, [&] {
        auto block = std::make_shared<HeadBlock>();
        block->raw.resize(size_t(tokens()) * size_t(tokens()));  // (n, n)
        const bool here = kernels::kOwnKernels && std::min(kernels::threads(), heads()) > 1;
        rawScores(m_shape, qRow(layer, head, 0), qStride(), kRow(layer, head, 0), kvStride(), block->raw.data(), !here);
        return std::shared_ptr<const HeadBlock>(block);
    });
}

void AttentionTrace::rawScores(const ForwardShape& shape, const float* q, int64_t ldq, const float* k, int64_t ldk, float* raw,
                               bool parallel) {
    const int n = shape.tokens, d = shape.headDim;
    if (kernels::packingEnabled() || kernels::kOwnKernels) {  // as AttentionBuffers::computeHeads
        thread_local std::vector<float> scratch;
        kernels::productHere(q, ldq, n, d, k, ldk, false, n, raw, n, scratch);
    } else {
        (parallel ? kernels::gemmABt : kernels::gemmABtHere)(n, n, d, q, int(ldq), k, int(ldk), raw, n);
    }
}

float AttentionTrace::rebuiltProb(int layer, int head, int a, int b) const {
    const int w = window(layer);
    if ((m_shape.causal && b > a) || (w > 0 && b <= a - w)) return 0.0f;
    const float* q = qRow(layer, head, a);
    const float* k = kRow(layer, head, b);
    float dot = 0;
    for (int c = 0; c < headDim(); ++c) dot += q[c] * k[c];
    const float scaled = m_shape.multiplies ? dot * m_shape.scale() : dot / std::sqrt(float(headDim()));
    return std::exp(scaled - m_logSumExp[size_t(layer * heads() + head) * size_t(tokens()) + size_t(a)]);
}

std::vector<float> AttentionTrace::probsRow(int layer, int head, int a) const {
    std::vector<float> row(static_cast<size_t>(tokens()));  // (n)
    if (!m_rebuilt) {
        const HeadMatrices m = this->head(layer, head);
        std::copy_n(m.probsRow(a), tokens(), row.begin());
    } else {
        for (int b = 0; b < tokens(); ++b) row[size_t(b)] = rebuiltProb(layer, head, a, b);
    }
    return row;
}

std::vector<float> AttentionTrace::probsColumn(int layer, int head, int b) const {
    std::vector<float> column(static_cast<size_t>(tokens()));  // (n)
    const HeadMatrices m = m_rebuilt ? HeadMatrices() : this->head(layer, head);
    for (int a = 0; a < tokens(); ++a) column[size_t(a)] = m_rebuilt ? rebuiltProb(layer, head, a, b) : m.prob(a, b);
    return column;
}

std::vector<float> AttentionTrace::unrotated(int layer, const float* row, int position) const {
    const int half = headDim() / 2;
    const Layer& l = m_layers[size_t(layer)];
    const float* c = l.ropeCos.data() + size_t(position) * size_t(half);  // (d/2)
    const float* s = l.ropeSin.data() + size_t(position) * size_t(half);
    std::vector<float> out(row, row + headDim());  // (d)
    for (int k = 0; k < half; ++k) {  // inverse of x1' = x1 cos - x2 sin, x2' = x2 cos + x1 sin
        const float a = row[k], b = row[k + half];
        out[size_t(k)] = a * c[k] + b * s[k];
        out[size_t(k + half)] = b * c[k] - a * s[k];
    }
    return out;
}

HeadMatrices AttentionTrace::meanOfHeads(int layer) const {
    HeadMatrices m;
    m.m_n = tokens();
    m.m_keep = m_cache->get(layer, -1, [&] {
        auto block = std::make_shared<HeadBlock>();
        const size_t count = size_t(tokens()) * size_t(tokens());
        block->probs.assign(count, 0.0f);  // (n, n)
        for (int h = 0; h < heads(); ++h) {
            const HeadMatrices one = head(layer, h);
            const float* p = one.probs();
            for (size_t i = 0; i < count; ++i) block->probs[i] += p[i];
        }
        for (float& v : block->probs) v /= float(heads());
        return std::shared_ptr<const HeadBlock>(block);
    });
    m.m_probs = m.m_keep->probs.data();
    return m;
}

// The forward pass's own products and softmax (model/attention_buffers.cpp, the models' softmax
// calls), so a rebuilt head equals the one the pass computed.
void AttentionTrace::computeHead(const ForwardShape& shape, int window, const float* q, int64_t ldq, const float* k, int64_t ldk,
                                 float* raw, float* probs, bool parallel) {
    const int n = shape.tokens, d = shape.headDim;
    rawScores(shape, q, ldq, k, ldk, raw, parallel);
    if (shape.multiplies)
        kernels::windowedSoftmax(raw, n, shape.scale(), shape.causal, window, nullptr, probs);
    else
        kernels::scaledMaskedSoftmax(raw, n, std::sqrt(float(d)), shape.causal, nullptr, probs);
}

std::shared_ptr<const HeadBlock> AttentionTrace::rebuild(int layer, int head) const {
    const int n = tokens();
    auto block = std::make_shared<HeadBlock>();
    const size_t square = size_t(n) * size_t(n);
    block->raw.resize(square);     // (n, n)
    block->probs.resize(square);   // (n, n); scaled scores are not kept (raw times the scale)
    const bool here = kernels::kOwnKernels && std::min(kernels::threads(), heads()) > 1;
    if (m_store) {  // a file's q and k, read for this head only: nothing of them stays widened in memory
        const int d = headDim();
        std::vector<float> q(size_t(n) * size_t(d)), k(size_t(n) * size_t(d));  // (n, d) each
        m_store->read(TraceStore::Q, layer, head, q.data());
        m_store->read(TraceStore::K, layer, kvHeadOf(head), k.data());
        computeHead(m_shape, window(layer), q.data(), d, k.data(), d, block->raw.data(), block->probs.data(), !here);
        return block;
    }
    computeHead(m_shape, window(layer), qRow(layer, head, 0), qStride(), kRow(layer, head, 0), kvStride(), block->raw.data(),
                block->probs.data(), !here);
    return block;
}

uint64_t TraceRecorder::fullBlockBytes(const ForwardShape& s) {
    return saturatingProduct({uint64_t(s.layers), uint64_t(s.heads), uint64_t(s.tokens), uint64_t(s.tokens), 3, sizeof(float)});
}

bool TraceRecorder::rebuildsHeads(const ForwardShape& shape, Mode mode) {
    return mode == Mode::Rebuilt || (mode == Mode::Auto && fullBlockBytes(shape) > kFullTraceBytes);
}

void TraceRecorder::begin(const ForwardShape& shape) {
    m_trace = std::make_shared<AttentionTrace>();
    AttentionTrace& t = *m_trace;
    t.m_shape = shape;
    t.m_layers.resize(size_t(shape.layers));
    t.m_hidden.resize(size_t(shape.layers) + 1);
    t.m_sinkShare.assign(size_t(shape.layers) * size_t(shape.heads), 0.0);
    t.m_rebuilt = rebuildsHeads(shape, m_mode);
    t.m_cache = std::make_shared<HeadCache>(kHeadCacheBytes);
    if (t.m_rebuilt) {
        t.m_thumbSize = std::min(shape.tokens, kThumbnailSize);
        const size_t all = t.m_sinkShare.size() * size_t(t.m_thumbSize) * size_t(t.m_thumbSize);
        t.m_thumbs.assign(all, 0.0f);
        t.m_thumbsHidden.assign(all, 0.0f);
        t.m_logSumExp.assign(t.m_sinkShare.size() * size_t(shape.tokens), 0.0f);
    }
}

float* TraceRecorder::buffer(int layer, TraceBuffer which) {
    const ForwardShape& s = m_trace->m_shape;
    const size_t qRows = size_t(s.tokens) * size_t(s.qWidth()), kvRows = size_t(s.tokens) * size_t(s.kvWidth());
    const size_t squares = size_t(s.heads) * size_t(s.tokens) * size_t(s.tokens);
    const size_t hiddenRows = size_t(s.tokens) * size_t(s.hidden);
    AttentionTrace::Layer& l = m_trace->m_layers[size_t(layer)];
    auto grab = [](AttentionTrace::Buffer& b, size_t n) { return b.resize(n); };
    const bool blocks = !m_trace->m_rebuilt;
    switch (which) {
        case TraceBuffer::Q: return grab(l.q, qRows);
        case TraceBuffer::K: return grab(l.k, kvRows);
        case TraceBuffer::V: return grab(l.v, kvRows);
        case TraceBuffer::Context: return grab(l.context, qRows);
        case TraceBuffer::Scores: return blocks ? grab(l.scores, squares) : nullptr;
        case TraceBuffer::Probs: return blocks ? grab(l.probs, squares) : nullptr;
        case TraceBuffer::AttnInput: return grab(l.attnInput, hiddenRows);
        case TraceBuffer::AttnOutput: return grab(l.attnOutput, hiddenRows);
    }
    return nullptr;
}

void TraceRecorder::hiddenState(int index, const float* hidden) {
    const size_t n = size_t(m_trace->m_shape.tokens) * size_t(m_trace->m_shape.hidden);
    m_trace->m_hidden[size_t(index)].assign(hidden, n);
}

void TraceRecorder::layer(const LayerTensors& t) {
    AttentionTrace& trace = *m_trace;
    const size_t n = size_t(trace.m_shape.tokens) * size_t(trace.m_shape.hidden);
    AttentionTrace::Layer& l = trace.m_layers[size_t(t.layer)];
    if (t.attnInput != l.attnInput.data()) l.attnInput.assign(t.attnInput, n);  // else written there through buffer()
    if (t.attnOutput != l.attnOutput.data()) l.attnOutput.assign(t.attnOutput, n);
    l.window = t.window;
    if (t.valueNorms) l.valueNorms.assign(t.valueNorms, t.valueNorms + size_t(trace.heads()) * size_t(trace.tokens()));
    if (t.ropeCos) {
        const size_t table = size_t(trace.tokens()) * size_t(trace.headDim() / 2);
        l.ropeCos.assign(t.ropeCos, t.ropeCos + table);
        l.ropeSin.assign(t.ropeSin, t.ropeSin + table);
    }
    // q, k, v, context and the score blocks were written in place through buffer(); a rebuilt
    // trace's summaries came through headProbs().
    if (!trace.m_rebuilt && t.probs)
        for (int h = 0; h < trace.heads(); ++h)
            trace.m_sinkShare[size_t(t.layer * trace.heads() + h)] =
                meanFirstKeyWeight(t.probs + int64_t(h) * trace.tokens() * trace.tokens(), trace.tokens());
}

void TraceRecorder::headProbs(int layer, int head, const float* raw, const float* probs) {
    if (m_trace->m_rebuilt) m_trace->summarize(layer, head, raw, probs);
}

void AttentionTrace::summarize(int layer, int head, const float* raw, const float* probs) {
    const int n = tokens();
    const size_t slot = size_t(layer * heads() + head), thumb = size_t(m_thumbSize) * size_t(m_thumbSize);
    const bool causal = m_shape.causal;  // a row's weights after its own token are zeros
    summarizeHead(probs, n, m_thumbSize, m_thumbs.data() + slot * thumb, m_thumbsHidden.data() + slot * thumb, &m_sinkShare[slot], causal);
    // Each row's normaliser from its largest weight: p = exp(s - lse), so lse = s - log p there
    // (p >= 1/n: well conditioned).
    float* lse = m_logSumExp.data() + slot * size_t(n);
    for (int a = 0; a < n; ++a) {
        const float* p = probs + int64_t(a) * n;
        const int top = int(std::max_element(p, p + (causal ? a + 1 : n)) - p);
        const float r = raw[int64_t(a) * n + top];
        const float scaled = m_shape.multiplies ? r * m_shape.scale() : r / std::sqrt(float(headDim()));
        lse[a] = scaled - std::log(p[top]);
    }
}

std::shared_ptr<const AttentionTrace> TraceRecorder::take() { return std::move(m_trace); }

}  // namespace attnscope::core
