#include "analysis/sinks.h"

namespace attnscope::core {

std::vector<float> withoutFirstKey(const float* probs, int n) {
    std::vector<float> out(probs, probs + size_t(n) * size_t(n));  // (n, n)
    for (int i = 0; i < n; ++i) {
        float* row = out.data() + size_t(i) * size_t(n);
        row[0] = 0;
        double rest = 0;
        for (int j = 1; j < n; ++j) rest += row[j];
        const float scale = rest > 0 ? float(1.0 / rest) : 0.0f;
        for (int j = 1; j < n; ++j) row[j] *= scale;
    }
    return out;
}

double sinkShare(const AttentionTrace& trace, int layer, int head) { return trace.sinkShare(layer, head); }

std::vector<std::vector<double>> sinkShares(const AttentionTrace& trace) {
    std::vector<std::vector<double>> all(size_t(trace.layers()));
    for (int l = 0; l < trace.layers(); ++l)
        for (int h = 0; h < trace.heads(); ++h) all[size_t(l)].push_back(sinkShare(trace, l, h));
    return all;
}

}  // namespace attnscope::core
