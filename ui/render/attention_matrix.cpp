#include "render/attention_matrix.h"

#include "analysis/sinks.h"

namespace attnscope::ui {

AttentionMatrix selectMatrix(const core::AttentionTrace& trace, int layer, HeadMode mode, int head, bool hideFirstToken) {
    AttentionMatrix m;
    m.n = trace.tokens();
    if (mode == HeadMode::Single) {
        const core::HeadMatrices matrices = trace.head(layer, head);
        if (hideFirstToken) {
            m.owned = core::withoutFirstKey(matrices.probs(), m.n);
            m.data = m.owned.data();
        } else {
            m.kept.push_back(matrices);
            m.data = matrices.probs();
        }
        return m;
    }
    const size_t count = size_t(m.n) * size_t(m.n);
    m.owned.assign(count, 0.0f);
    for (int h = 0; h < trace.heads(); ++h) {
        const core::HeadMatrices matrices = trace.head(layer, h);
        const float* p = matrices.probs();
        for (size_t i = 0; i < count; ++i) m.owned[i] += p[i];
    }
    for (float& v : m.owned) v /= float(trace.heads());
    if (hideFirstToken) m.owned = core::withoutFirstKey(m.owned.data(), m.n);
    m.data = m.owned.data();
    return m;
}

QString matrixTitle(int layer, HeadMode mode, int head, int heads, bool hideFirstToken) {
    const QString base = mode == HeadMode::Single ? QStringLiteral("Layer %1 · Head %2").arg(layer).arg(head)
                                                  : QStringLiteral("Layer %1 · mean of %2 heads").arg(layer).arg(heads);
    return hideFirstToken ? base + QStringLiteral(" · first token hidden, rows renormalised") : base;
}

}  // namespace attnscope::ui
