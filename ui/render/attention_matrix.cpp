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
    const core::HeadMatrices mean = trace.meanOfHeads(layer);  // cached: hovering does not recompute it
    if (hideFirstToken) {
        m.owned = core::withoutFirstKey(mean.probs(), m.n);
        m.data = m.owned.data();
    } else {
        m.kept.push_back(mean);
        m.data = mean.probs();
    }
    return m;
}

QString matrixTitle(int layer, HeadMode mode, int head, int heads, bool hideFirstToken) {
    const QString base = mode == HeadMode::Single ? QStringLiteral("Layer %1 · Head %2").arg(layer).arg(head)
                                                  : QStringLiteral("Layer %1 · mean of %2 heads").arg(layer).arg(heads);
    return hideFirstToken ? base + QStringLiteral(" · first token hidden, rows renormalised") : base;
}

}  // namespace attnscope::ui
