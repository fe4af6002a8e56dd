#include "model/attention_buffers.h"

namespace attnscope::core {

float* AttentionBuffers::take(int layer, TraceBuffer which, size_t count) {
    if (m_sink)
        if (float* p = m_sink->buffer(layer, which)) return p;
    std::vector<float>& scratch = m_scratch[int(which)];
    if (scratch.size() < count) scratch.resize(count);
    return scratch.data();
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
