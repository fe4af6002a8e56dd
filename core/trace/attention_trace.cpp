#include "trace/attention_trace.h"

#include <algorithm>

namespace attnscope::core {

float* AttentionTrace::Buffer::assign(const float* from, size_t n) {
    std::copy_n(from, n, resize(n));
    return m_data.get();
}

size_t AttentionTrace::bytes() const {
    size_t total = 0;
    for (const auto& h : m_hidden) total += h.size();
    for (const auto& l : m_layers)
        total += l.attnInput.size() + l.q.size() + l.k.size() + l.v.size() +
                 l.context.size() + l.attnOutput.size() + l.rawScores.size() + l.scores.size() +
                 l.probs.size();
    return total * sizeof(float);
}

void TraceRecorder::begin(const ForwardShape& shape) {
    m_trace = std::make_shared<AttentionTrace>();
    m_trace->m_shape = shape;
    m_trace->m_layers.resize(size_t(shape.layers));
    m_trace->m_hidden.resize(size_t(shape.layers) + 1);
}

float* TraceRecorder::buffer(int layer, TraceBuffer which) {
    const ForwardShape& s = m_trace->m_shape;
    const size_t qRows = size_t(s.tokens) * size_t(s.qWidth()), kvRows = size_t(s.tokens) * size_t(s.kvWidth());
    const size_t squares = size_t(s.heads) * size_t(s.tokens) * size_t(s.tokens);
    AttentionTrace::Layer& l = m_trace->m_layers[size_t(layer)];
    auto grab = [](AttentionTrace::Buffer& b, size_t n) { return b.resize(n); };
    switch (which) {
        case TraceBuffer::Q: return grab(l.q, qRows);
        case TraceBuffer::K: return grab(l.k, kvRows);
        case TraceBuffer::V: return grab(l.v, kvRows);
        case TraceBuffer::Context: return grab(l.context, qRows);
        case TraceBuffer::RawScores: return grab(l.rawScores, squares);
        case TraceBuffer::Scores: return grab(l.scores, squares);
        case TraceBuffer::Probs: return grab(l.probs, squares);
    }
    return nullptr;
}

void TraceRecorder::hiddenState(int index, const float* hidden) {
    const size_t n = size_t(m_trace->m_shape.tokens) * size_t(m_trace->m_shape.hidden);
    m_trace->m_hidden[size_t(index)].assign(hidden, n);
}

void TraceRecorder::layer(const LayerTensors& t) {
    const size_t n = size_t(m_trace->m_shape.tokens) * size_t(m_trace->m_shape.hidden);
    AttentionTrace::Layer& l = m_trace->m_layers[size_t(t.layer)];
    l.attnInput.assign(t.attnInput, n);
    l.attnOutput.assign(t.attnOutput, n);
    // q, k, v, context and the score blocks were written in place through buffer().
}

std::shared_ptr<const AttentionTrace> TraceRecorder::take() { return std::move(m_trace); }

}  // namespace attnscope::core
