#pragma once

#include "trace/trace_sink.h"

#include <cstddef>
#include <vector>

namespace attnscope::core {

// Where one attention layer writes q, k, v, the score blocks and the context: straight into the
// recording sink's memory when it has some, else into scratch kept here for the next layer.
// Shared by the encoders' and GPT-2's AttentionBlock and the decoders' RotaryAttention.
class AttentionBuffers {
public:
    explicit AttentionBuffers(TraceSink* sink) : m_sink(sink) {}

    float* take(int layer, TraceBuffer which, size_t count);
    // The scaled scores, or null when nobody keeps them.
    float* scores(int layer, size_t count) { return m_sink && m_sink->wantsScores() ? take(layer, TraceBuffer::Scores, count) : nullptr; }

private:
    TraceSink* m_sink;
    std::vector<float> m_scratch[7];  // one per TraceBuffer
};

// What a layer's attention computed, for the sink.
struct AttentionOutputs {
    const float *input, *q, *k, *v, *raw, *scores, *probs, *context, *output;
};
void describeAttention(int layer, const AttentionOutputs& o, LayerTensors* t);

}  // namespace attnscope::core
