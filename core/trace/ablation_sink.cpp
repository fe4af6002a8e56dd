#include "trace/ablation_sink.h"

#include <QStringList>

#include <algorithm>

namespace attnscope::core {

Result<std::vector<HeadRef>> parseHeadRefs(const QString& text, int layers, int heads) {
    std::vector<HeadRef> refs;
    for (const QString& raw : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString item = raw.trimmed();
        const QStringList parts = item.split(QLatin1Char(':'));
        bool okL = false, okH = false;
        const int l = parts.size() == 2 ? parts[0].trimmed().toInt(&okL) : 0;
        const int h = parts.size() == 2 ? parts[1].trimmed().toInt(&okH) : 0;
        if (!okL || !okH)
            return inputError(QStringLiteral("'%1' is not LAYER:HEAD (for example 3:1)").arg(item.left(40)));
        if (l < 0 || l >= layers)
            return inputError(QStringLiteral("'%1': layer %2 is out of range (the model has layers 0-%3)").arg(item.left(40)).arg(l).arg(layers - 1));
        if (h < 0 || h >= heads)
            return inputError(QStringLiteral("'%1': head %2 is out of range (the model has heads 0-%3)").arg(item.left(40)).arg(h).arg(heads - 1));
        refs.push_back({l, h});
    }
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    return refs;
}

QString headRefsText(const std::vector<HeadRef>& refs) {
    QStringList parts;
    for (const HeadRef& r : refs) parts << QStringLiteral("%1:%2").arg(r.layer).arg(r.head);
    return parts.join(QLatin1Char(','));
}

AblationSink::AblationSink(TraceSink* inner, std::vector<HeadRef> off) : m_inner(inner), m_off(std::move(off)) {
    std::sort(m_off.begin(), m_off.end());
    m_off.erase(std::unique(m_off.begin(), m_off.end()), m_off.end());
}

void AblationSink::begin(const ForwardShape& shape) {
    if (m_inner) m_inner->begin(shape);
}

float* AblationSink::buffer(int layer, TraceBuffer which) { return m_inner ? m_inner->buffer(layer, which) : nullptr; }

void AblationSink::hiddenState(int index, const float* hidden) {
    if (m_inner) m_inner->hiddenState(index, hidden);
}

void AblationSink::layer(const LayerTensors& tensors) {
    if (m_inner) m_inner->layer(tensors);
}

bool AblationSink::wantsScores() const { return m_inner && m_inner->wantsScores(); }

void AblationSink::headProbs(int layer, int head, const float* raw, const float* probs) {
    if (m_inner) m_inner->headProbs(layer, head, raw, probs);
}

bool AblationSink::wantsValueNorms() const { return m_inner && m_inner->wantsValueNorms(); }

bool AblationSink::ablated(int layer, int head) const {
    return std::binary_search(m_off.begin(), m_off.end(), HeadRef{layer, head});
}

}  // namespace attnscope::core
