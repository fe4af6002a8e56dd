#pragma once

#include "trace/float_pool.h"
#include "trace/trace_sink.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace attnscope::core {

// Everything one forward pass computed for one input, recorded by TraceRecorder. Immutable once
// built; share it as std::shared_ptr<const AttentionTrace>.
//
// Shapes (n tokens, L layers, h heads, d head size, H = h d hidden size):
//   hidden(i)              (n, H)     i in [0, L]: 0 = embedding output, i = after layer i
//   q(l), context(l)       (n, h d)   head j = columns [j d, (j + 1) d)
//   k(l), v(l)             (n, g d)   key/value head j; g = h except with grouped-query attention
//   rawScores(l, j)        (n, n)     q_a . k_b
//   scores(l, j)           (n, n)     rawScores / sqrt(d), -inf where masked (causal models)
//   probs(l, j)            (n, n)     softmax of each row of scores; rows sum to 1
//   context(l)             (n, h d)   head j: sum_b probs_ab v_b (of the key/value head it reads)
//   attnOutput(l)          (n, H)     context W_o + b_o
// All row-major float32.
class AttentionTrace {
public:
    // Floats the forward pass writes straight into; not zero-filled (every element is written).
    class Buffer {
    public:
        float* resize(size_t n) {
            if (n != m_size) m_data = FloatPool::acquire(n);
            m_size = n;
            return m_data.get();
        }
        float* assign(const float* from, size_t n);
        const float* data() const { return m_data.get(); }
        size_t size() const { return m_size; }
        bool empty() const { return m_size == 0; }

    private:
        FloatPool::Block m_data;
        size_t m_size = 0;
    };

    struct Layer {
        Buffer attnInput, q, k, v, context, attnOutput;  // (n, H)
        Buffer rawScores, scores, probs;                 // (h, n, n)
    };

    const ForwardShape& shape() const { return m_shape; }
    int tokens() const { return m_shape.tokens; }
    int layers() const { return m_shape.layers; }
    int heads() const { return m_shape.heads; }
    int headDim() const { return m_shape.headDim; }
    int hidden() const { return m_shape.hidden; }

    const float* hiddenState(int index) const { return m_hidden[size_t(index)].data(); }
    // The hidden state entering layer l is hiddenState(l).
    const float* q(int layer) const { return m_layers[size_t(layer)].q.data(); }
    const float* k(int layer) const { return m_layers[size_t(layer)].k.data(); }
    const float* v(int layer) const { return m_layers[size_t(layer)].v.data(); }
    const float* context(int layer) const { return m_layers[size_t(layer)].context.data(); }
    int kvHeads() const { return m_shape.keyValueHeads(); }
    // The key/value head query head `head` reads (grouped-query attention; itself otherwise).
    int kvHeadOf(int head) const { return head / std::max(1, heads() / kvHeads()); }
    // One token's vector of one head (d floats): q and context of query head `head`; k and v of
    // the key/value head it reads.
    const float* qRow(int layer, int head, int i) const { return q(layer) + int64_t(i) * m_shape.qWidth() + int64_t(head) * headDim(); }
    const float* kRow(int layer, int head, int j) const { return k(layer) + int64_t(j) * m_shape.kvWidth() + int64_t(kvHeadOf(head)) * headDim(); }
    const float* vRow(int layer, int head, int j) const { return v(layer) + int64_t(j) * m_shape.kvWidth() + int64_t(kvHeadOf(head)) * headDim(); }
    const float* contextRow(int layer, int head, int i) const { return context(layer) + int64_t(i) * m_shape.qWidth() + int64_t(head) * headDim(); }
    const float* attnInput(int layer) const { return m_layers[size_t(layer)].attnInput.data(); }
    const float* attnOutput(int layer) const { return m_layers[size_t(layer)].attnOutput.data(); }
    const float* rawScores(int layer, int head) const { return headBlock(m_layers[size_t(layer)].rawScores, head); }
    const float* scores(int layer, int head) const { return headBlock(m_layers[size_t(layer)].scores, head); }
    const float* probs(int layer, int head) const { return headBlock(m_layers[size_t(layer)].probs, head); }
    // One entry of probs(layer, head): query row a, key column b.
    float prob(int layer, int head, int a, int b) const { return probs(layer, head)[int64_t(a) * tokens() + b]; }

    bool hasScores() const { return !m_layers.empty() && !m_layers[0].scores.empty(); }
    bool hasHidden() const { return int(m_hidden.size()) == layers() + 1; }
    size_t bytes() const;

private:
    friend class TraceRecorder;
    const float* headBlock(const Buffer& all, int head) const {
        return all.data() + int64_t(head) * tokens() * tokens();
    }

    ForwardShape m_shape;
    std::vector<Layer> m_layers;
    std::vector<Buffer> m_hidden;
};

// A TraceSink that records everything into an AttentionTrace, writing the model's attention
// buffers directly into the trace's memory.
class TraceRecorder : public TraceSink {
public:
    void begin(const ForwardShape& shape) override;
    float* buffer(int layer, TraceBuffer which) override;
    void hiddenState(int index, const float* hidden) override;
    void layer(const LayerTensors& tensors) override;

    // Hands over the finished trace; the recorder is empty afterwards.
    std::shared_ptr<const AttentionTrace> take();

private:
    std::shared_ptr<AttentionTrace> m_trace;
};

}  // namespace attnscope::core
