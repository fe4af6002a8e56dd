#pragma once

#include "trace/float_pool.h"
#include "trace/head_cache.h"
#include "trace/trace_sink.h"
#include "trace/trace_store.h"

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
//   head(l, j).raw()       (n, n)     q_a . k_b
//   head(l, j).scores()    (n, n)     raw / sqrt(d) (decoders: raw * scale), -inf where masked (full traces)
//   head(l, j).probs()     (n, n)     softmax of each row of scores; rows sum to 1
//   context(l)             (n, h d)   head j: sum_b probs_ab v_b (of the key/value head it reads)
//   attnOutput(l)          (n, H)     context W_o + b_o
// All row-major float32.
//
// A short input's trace holds every head's probabilities (and scaled scores when asked for:
// TraceRecorder::setKeepScores; they are raw times the scale, a third more memory and writes that no
// view needs); raw scores are q . k^T again, multiplied on a view's request into the cache. A long one (rebuilt(): the blocks would take
// more than TraceRecorder::kFullTraceBytes) holds q and k instead, and head() rebuilds a head's
// matrices from them on request, exactly as the forward pass computed them, keeping the most
// recent in a bounded cache; each head's sink share and thumbnail were kept during the forward.
//
// A trace opened from a file (trace_file.h) reads its tensors where they are stored (TraceStore):
// q, k and v are then [head][token] blocks (qStride() = kvStride() = d between rows), the layers
// are those the file holds (layerNumber() gives each one's place in the model), and what the file
// lacks reads as null: context, attnInput and attnOutput always, v, hidden states and scores when
// not written; raw() too when the file holds the matrices rather than q and k.
class AttentionTrace;

class HeadMatrices {
public:
    // A recorded trace's raw scores are not held (the probabilities are; raw is q . k^T again):
    // the first call multiplies this head's q and k, as the forward pass did, into the cache.
    const float* raw() const;
    const float* scores() const { return m_scores; }  // null when the trace did not keep them
    const float* probs() const { return m_probs; }
    // Query row a, key column b.
    float prob(int a, int b) const { return m_probs[int64_t(a) * m_n + b]; }
    const float* probsRow(int a) const { return m_probs + int64_t(a) * m_n; }
    const float* rawRow(int a) const { return raw() + int64_t(a) * m_n; }

private:
    friend class AttentionTrace;
    std::shared_ptr<const HeadBlock> m_keep;  // a rebuilt head, alive while this handle is
    mutable std::shared_ptr<const HeadBlock> m_rawKeep;  // raw rebuilt on first use
    const AttentionTrace* m_rawFrom = nullptr;           // where raw is rebuilt from, or null
    int m_layer = 0, m_head = 0;
    mutable const float* m_raw = nullptr;
    const float* m_scores = nullptr;
    const float* m_probs = nullptr;
    int64_t m_n = 0;
};

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
        Buffer scores, probs;                            // (h, n, n); empty when rebuilt() (scores: unless asked for)
        int window = 0;                                  // the layer's sliding window (0: none)
        std::vector<float> ropeCos, ropeSin;             // (n, d/2): how q and k were rotated, if they were
        std::vector<float> valueNorms;                   // (h, n) ||f_h(x_j)||, when recorded
    };

    const ForwardShape& shape() const { return m_shape; }
    int tokens() const { return m_shape.tokens; }
    int layers() const { return m_shape.layers; }
    int heads() const { return m_shape.heads; }
    int headDim() const { return m_shape.headDim; }
    int hidden() const { return m_shape.hidden; }

    const float* hiddenState(int index) const {
        if (m_store) return m_store->hasHidden(index) ? m_store->hidden(index) : nullptr;
        return m_hidden[size_t(index)].data();
    }
    // The model's number of held layer `layer` (a file may hold a subset; else the same).
    int layerNumber(int layer) const { return m_layerNumbers.empty() ? layer : m_layerNumbers[size_t(layer)]; }
    // The model's layers (more than layers() when a file holds a subset).
    int modelLayers() const { return m_modelLayers > 0 ? m_modelLayers : layers(); }
    // The file a trace was opened from, or null for a recorded one.
    const TraceStore* store() const { return m_store.get(); }
    bool hasV() const { return m_store ? m_store->has(TraceStore::V, 0) : !m_layers.empty() && !m_layers[0].v.empty(); }
    bool hasQk() const { return m_store ? m_store->has(TraceStore::Q, 0) : !m_layers.empty() && !m_layers[0].q.empty(); }
    // Whether the layers' inputs, contexts and outputs are held (recorded traces).
    bool hasLayerIo() const { return !m_store && !m_layers.empty() && !m_layers[0].attnInput.empty(); }
    // Floats between consecutive tokens' rows of one head in q/context and in k/v.
    int64_t qStride() const { return m_store ? headDim() : m_shape.qWidth(); }
    int64_t kvStride() const { return m_store ? headDim() : m_shape.kvWidth(); }
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
    const float* qRow(int layer, int head, int i) const {
        if (m_store) return m_store->block(TraceStore::Q, layer, head) + int64_t(i) * headDim();
        return q(layer) + int64_t(i) * m_shape.qWidth() + int64_t(head) * headDim();
    }
    const float* kRow(int layer, int head, int j) const {
        if (m_store) return m_store->block(TraceStore::K, layer, kvHeadOf(head)) + int64_t(j) * headDim();
        return k(layer) + int64_t(j) * m_shape.kvWidth() + int64_t(kvHeadOf(head)) * headDim();
    }
    const float* vRow(int layer, int head, int j) const {
        if (m_store) return m_store->has(TraceStore::V, layer) ? m_store->block(TraceStore::V, layer, kvHeadOf(head)) + int64_t(j) * headDim() : nullptr;
        return v(layer) + int64_t(j) * m_shape.kvWidth() + int64_t(kvHeadOf(head)) * headDim();
    }
    const float* contextRow(int layer, int head, int i) const {
        if (m_store) return nullptr;
        return context(layer) + int64_t(i) * m_shape.qWidth() + int64_t(head) * headDim();
    }
    const float* attnInput(int layer) const { return m_layers[size_t(layer)].attnInput.data(); }
    const float* attnOutput(int layer) const { return m_layers[size_t(layer)].attnOutput.data(); }
    int window(int layer) const { return m_store ? (m_windows.empty() ? 0 : m_windows[size_t(layer)]) : m_layers[size_t(layer)].window; }
    // Whether the forward pass computed each head's value-vector norms (TraceRecorder::setValueNorms).
    bool hasValueNorms() const { return !m_layers.empty() && !m_layers[0].valueNorms.empty(); }
    // (n): ||f_h(x_j)|| = ||v_j W_O|_h|| for every key j of one head (Kobayashi et al. 2020).
    const float* valueNorms(int layer, int head) const {
        return m_layers[size_t(layer)].valueNorms.data() + int64_t(head) * tokens();
    }
    // (n, d/2) the rotation table of a rotary layer, or null.
    const float* ropeCos(int layer) const { const auto& c = m_layers[size_t(layer)].ropeCos; return c.empty() ? nullptr : c.data(); }
    const float* ropeSin(int layer) const { const auto& c = m_layers[size_t(layer)].ropeSin; return c.empty() ? nullptr : c.data(); }
    // Whether q and k were rotated by position (RoPE: the rotary decoders).
    bool rotary() const { return !m_layers.empty() && !m_layers[0].ropeCos.empty(); }
    // A q or k row of token `position` as it was before the rotation (d): each pair (c, c + d/2)
    // turned back by the angle it was turned by. Rotary traces only.
    std::vector<float> unrotated(int layer, const float* row, int position) const;

    // One head's matrices (rebuilt from q and k if need be); keep the handle while using them.
    HeadMatrices head(int layer, int head) const;
    // Row a of a head's probs (what query a gives each key), and column b (what every query gives
    // key b), each (n): read from the held matrix, or (rebuilt()) computed from q, k and each row's
    // log-sum-exp kept during the forward pass, without rebuilding the head (O(n d)).
    std::vector<float> probsRow(int layer, int head, int a) const;
    std::vector<float> probsColumn(int layer, int head, int b) const;
    // The mean of a layer's heads' probabilities (only probs() is set), computed once and cached.
    HeadMatrices meanOfHeads(int layer) const;
    // Whether the heads' matrices are rebuilt on request rather than held.
    bool rebuilt() const { return m_rebuilt; }
    // Whether head().scores() is available (kept by a full trace; a rebuilt head has raw and probs).
    bool hasScores() const {
        if (m_store) return m_store->has(TraceStore::Scores, 0);
        return !m_rebuilt && !m_layers.empty() && !m_layers[0].scores.empty();
    }
    bool hasHidden() const {
        if (m_store) return m_store->hasHidden(0) && layers() == modelLayers();
        return int(m_hidden.size()) == layers() + 1;
    }
    // Mean weight on key 0 over the query rows (the head's "sink share").
    double sinkShare(int layer, int head) const { return m_sinkShare[size_t(layer * heads() + head)]; }
    // Side of the kept thumbnails (a rebuilt trace's), or 0 when there are none.
    int thumbnailSize() const { return m_thumbSize; }
    // (t, t) block means of probs (head_summary.h), or of probs without the first key.
    const float* thumbnail(int layer, int head, bool hideFirstToken) const {
        const auto& all = hideFirstToken ? m_thumbsHidden : m_thumbs;
        return all.data() + size_t(layer * heads() + head) * size_t(m_thumbSize) * size_t(m_thumbSize);
    }
    size_t bytes() const;
    // Bytes of rebuilt heads held by the cache now.
    size_t cachedBytes() const { return m_cache ? m_cache->bytes() : 0; }

    // Rebuilds one head's raw scores and probs (each n x n) from q rows (stride ldq) and k rows
    // (stride ldk) as the forward pass computed them: the products, the scale, the mask, the softmax.
    static void computeHead(const ForwardShape& shape, int window, const float* q, int64_t ldq, const float* k, int64_t ldk,
                            float* raw, float* probs, bool parallel);

private:
    friend class TraceRecorder;
    friend class TraceFileReader;
    friend class HeadMatrices;
    // A rebuilt head's summaries (sink share, thumbnails, each row's log-sum-exp) from its matrices.
    void summarize(int layer, int head, const float* raw, const float* probs);
    const float* headBlock(const Buffer& all, int head) const {
        return all.empty() ? nullptr : all.data() + int64_t(head) * tokens() * tokens();
    }
    std::shared_ptr<const HeadBlock> rebuild(int layer, int head) const;
    // A recorded full trace's head's raw scores (n, n) from q and k, into the cache.
    std::shared_ptr<const HeadBlock> rebuildRaw(int layer, int head) const;
    // raw (n, n) = q_head (n, d) . k_head^T, with the forward pass's product.
    static void rawScores(const ForwardShape& shape, const float* q, int64_t ldq, const float* k, int64_t ldk, float* raw, bool parallel);
    // probs[a][b] from q, k and the kept log-sum-exp; 0 where masked.
    float rebuiltProb(int layer, int head, int a, int b) const;

    ForwardShape m_shape;
    std::vector<Layer> m_layers;
    std::vector<Buffer> m_hidden;
    bool m_rebuilt = false;
    std::vector<double> m_sinkShare;                 // (L h)
    int m_thumbSize = 0;
    std::vector<float> m_thumbs, m_thumbsHidden;     // (L h, t, t) when rebuilt
    std::vector<float> m_logSumExp;                  // (L h, n) when rebuilt: each row's softmax normaliser
    std::shared_ptr<HeadCache> m_cache;              // rebuilt heads and layer means
    std::shared_ptr<const TraceStore> m_store;       // a trace file's tensors, or null
    std::vector<int> m_layerNumbers;                 // (layers) the model's layer numbers, when a subset
    int m_modelLayers = 0;
    std::vector<int> m_windows;                      // (layers) a file trace's sliding windows
};

// A TraceSink that records everything into an AttentionTrace, writing the model's attention
// buffers directly into the trace's memory.
class TraceRecorder : public TraceSink {
public:
    // Full: every head's matrices kept; Rebuilt: q and k kept, matrices rebuilt on request; Auto:
    // Full while the blocks fit in kFullTraceBytes.
    enum class Mode { Auto, Full, Rebuilt };
    static constexpr uint64_t kFullTraceBytes = uint64_t(1) << 30;
    // Rebuilt heads a trace keeps for reuse.
    static constexpr size_t kHeadCacheBytes = size_t(256) << 20;
    // The bytes of the (h, n, n) blocks of every layer (probs, scores when kept, and a head's raw
    // scores rebuilt per view: 3 blocks' worth, the limit's margin).
    static uint64_t fullBlockBytes(const ForwardShape& shape);
    static bool rebuildsHeads(const ForwardShape& shape, Mode mode);

    explicit TraceRecorder(Mode mode = Mode::Auto) : m_mode(mode) {}
    // Also record each head's value-vector norms through the output projection.
    void setValueNorms(bool on) { m_valueNorms = on; }
    bool wantsValueNorms() const override { return m_valueNorms; }
    // Also keep every head's scaled, masked scores (head().scores(); full traces only).
    void setKeepScores(bool on) { m_keepScores = on; }
    bool wantsScores() const override { return m_keepScores; }

    void begin(const ForwardShape& shape) override;
    float* buffer(int layer, TraceBuffer which) override;
    void hiddenState(int index, const float* hidden) override;
    void layer(const LayerTensors& tensors) override;
    void headProbs(int layer, int head, const float* raw, const float* probs) override;

    // Hands over the finished trace; the recorder is empty afterwards.
    std::shared_ptr<const AttentionTrace> take();

private:
    Mode m_mode;
    bool m_valueNorms = false;
    bool m_keepScores = false;
    std::shared_ptr<AttentionTrace> m_trace;
};

}  // namespace attnscope::core
