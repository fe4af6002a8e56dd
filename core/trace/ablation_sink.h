#pragma once

#include "trace/trace_sink.h"
#include "util/result.h"

#include <QString>

#include <utility>
#include <vector>

namespace attnscope::core {

// A (layer, head) pair.
struct HeadRef {
    int layer = 0;
    int head = 0;
    friend bool operator<(const HeadRef& a, const HeadRef& b) {
        return a.layer != b.layer ? a.layer < b.layer : a.head < b.head;
    }
    friend bool operator==(const HeadRef& a, const HeadRef& b) { return a.layer == b.layer && a.head == b.head; }
};

// "L:H,L:H,..." (0-based, each within the model's layers and heads) -> the heads, sorted; a
// message naming the bad item otherwise. An empty text is no heads.
Result<std::vector<HeadRef>> parseHeadRefs(const QString& text, int layers, int heads);
// The same list written back ("0:1,3:2").
QString headRefsText(const std::vector<HeadRef>& refs);

// Switches heads off during a forward pass (TraceSink::ablated) and passes everything else on to
// another sink, or to none (a forward pass for its predictions alone).
class AblationSink : public TraceSink {
public:
    AblationSink(TraceSink* inner, std::vector<HeadRef> off);

    void begin(const ForwardShape& shape) override;
    float* buffer(int layer, TraceBuffer which) override;
    void hiddenState(int index, const float* hidden) override;
    void layer(const LayerTensors& tensors) override;
    bool wantsScores() const override;
    void headProbs(int layer, int head, const float* raw, const float* probs) override;
    bool wantsValueNorms() const override;
    bool ablated(int layer, int head) const override;

private:
    TraceSink* m_inner;
    std::vector<HeadRef> m_off;  // sorted, unique
};

}  // namespace attnscope::core
