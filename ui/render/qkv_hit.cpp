// qkvValueAt: the value under the pointer in the Q/K/V figure (the view's hover).
#include "render/qkv_data.h"

namespace attnscope::ui {

using namespace qkv;

QString qkvValueAt(const QRectF& rect, const QkvSpec& s, const QPointF& point) {
    if (!s.trace || s.trace->tokens() <= 0) return {};
    const QkvData data(s);
    const QkvLayout l = qkvLayout(rect, s);
    const int step = int(s.step);
    auto reveal = [&](QkvStep which) { return step >= int(which); };
    auto component = [](const QRectF& r, int count, const QPointF& pt) {
        return std::clamp(int((pt.x() - r.left()) / r.width() * count), 0, count - 1);
    };
    for (int r = 0; r < kQkvVectorRows; ++r) {
        const auto row = QkvVector(r);
        const QRectF strip = l.vectorStrip[r];
        if (strip.isEmpty() || !reveal(vectorStep(row)) || !strip.adjusted(0, -2, 0, 2).contains(point)) continue;
        const auto [values, count] = data.vector(row, s);
        const int e = component(strip, count, point);
        return QStringLiteral("%1[%2] = %3").arg(QLatin1String(vectorSymbol(row))).arg(e).arg(double(values[e]), 0, 'g', 5);
    }
    if (point.y() < l.top || l.rowHeight <= 0 || !reveal(QkvStep::Keys)) return {};
    const int j = l.firstKey + int((point.y() - l.top) / l.rowHeight);
    if (j < l.firstKey || j >= l.firstKey + l.keyCount) return {};
    const QString who = QStringLiteral("“%1” (#%2)").arg(s.labels.value(j)).arg(j);
    for (int c = 0; c < kQkvColumns; ++c) {
        const auto col = QkvColumn(c);
        if (!reveal(columnStep(col, data.turned)) || point.x() < l.columns[c].left() || point.x() > l.columns[c].right()) continue;
        const float* vj = data.v + int64_t(j) * data.kvStride;
        switch (col) {
            case QkvColumn::Label: return QStringLiteral("key token %1").arg(who);
            case QkvColumn::Key: {
                const int e = component(l.columns[c], data.d, point);
                return QStringLiteral("k_j[%1] of %2 = %3").arg(e).arg(who).arg(double(data.key(j, s.layer)[size_t(e)]), 0, 'g', 5);
            }
            case QkvColumn::Dot: return QStringLiteral("q · k_j for %1 = %2").arg(who).arg(double(data.raw[j]), 0, 'g', 5);
            case QkvColumn::Scaled: return QStringLiteral("q · k_j / √d for %1 = %2").arg(who).arg(double(data.raw[j] / data.sqrtD), 0, 'g', 5);
            case QkvColumn::Mask: return data.causal && j > data.i ? QStringLiteral("%1 comes after the query: masked (−∞)").arg(who)
                                                                    : QStringLiteral("%1 is visible to the query").arg(who);
            case QkvColumn::Softmax: return QStringLiteral("p_j for %1 = %2 (%3%)").arg(who).arg(double(data.probs[j]), 0, 'g', 5).arg(double(data.probs[j]) * 100, 0, 'f', 2);
            case QkvColumn::Value: {
                const int e = component(l.columns[c], data.d, point);
                return QStringLiteral("v_j[%1] of %2 = %3").arg(e).arg(who).arg(double(vj[e]), 0, 'g', 5);
            }
            case QkvColumn::Weighted: {
                const int e = component(l.columns[c], data.d, point);
                return QStringLiteral("p_j v_j[%1] of %2 = %3 × %4 = %5").arg(e).arg(who).arg(double(data.probs[j]), 0, 'g', 4)
                    .arg(double(vj[e]), 0, 'g', 4).arg(double(data.probs[j] * vj[e]), 0, 'g', 5);
            }
        }
    }
    return {};
}


}  // namespace attnscope::ui
