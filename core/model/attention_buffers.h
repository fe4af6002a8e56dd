#pragma once

#include "kernels/kernels.h"
#include "trace/float_pool.h"
#include "trace/trace_sink.h"

#include <cstddef>
#include <functional>
#include <vector>

namespace attnscope::core {

// Where one attention layer writes q, k, v, the score blocks and the context: straight into the
// recording sink's memory when it has some, else into scratch kept here for the next layer.
// Shared by the encoders' and GPT-2's AttentionBlock and the decoders' RotaryAttention.
class AttentionBuffers {
public:
    explicit AttentionBuffers(TraceSink* sink) : m_sink(sink) {}

    float* take(int layer, TraceBuffer which, size_t count);

    // One layer's heads: head j reads columns [j d, (j + 1) d) of q and context, and key/value head
    // j / group of k and v.
    struct Heads {
        int n = 0, d = 0, heads = 0, group = 1;
        const float* q = nullptr;  // (n, ldq)
        const float* k = nullptr;  // (n, ldkv)
        const float* v = nullptr;  // (n, ldkv)
        int ldq = 0, ldkv = 0;
        float* context = nullptr;  // (n, ldq)
        bool causal = false;       // a query sees no later key (their scores need not be computed)
    };
    // raw (n, n) -> scores (n, n, or null when not kept) and probs (n, n) of one head.
    using Softmax = std::function<void(const float* raw, float* scores, float* probs)>;
    // The (h, n, n) blocks a layer wrote, or nulls when computed a head at a time.
    struct Blocks {
        float *scores = nullptr, *probs = nullptr;
    };
    // raw = q_j k^T, softmax, context_j = probs v for every head, heads shared among the cores.
    // raw always in per-core (n, n) scratch (a trace rebuilds it from q and k on request); scores
    // and probs into the sink's (h, n, n) blocks when it keeps them, otherwise in the scratch too,
    // shown to the sink through headProbs (a long prompt never holds every head at once).
    Blocks computeHeads(int layer, const Heads& in, const Softmax& softmax);
    // When the sink wants them: norms (h, n) of each head's value vectors through its rows of the
    // output projection, ||v_j|_kv W_O|_h|| (no output bias); null otherwise.
    const float* valueNorms(int layer, const Heads& in, const kernels::Linear& out);

private:
    TraceSink* m_sink;
    std::vector<float> m_scratch[kTraceBuffers];  // one per TraceBuffer
    std::vector<FloatPool::Block> m_headScratch;  // per core: raw and probs of one head (2 n n), recycled memory
    std::vector<std::vector<float>> m_packScratch;  // per core: one head's k or v packed in panels
    std::vector<float> m_norms;   // (h, n)
    std::vector<float> m_packed;  // (n, d) one head's value vectors
    std::vector<float> m_through; // (n, H) the same through the head's rows of W_O
};

// What a layer's attention computed, for the sink.
struct AttentionOutputs {
    const float *input, *q, *k, *v, *scores, *probs, *context, *output;
};
void describeAttention(int layer, const AttentionOutputs& o, LayerTensors* t);

}  // namespace attnscope::core
