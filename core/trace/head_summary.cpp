#include "trace/head_summary.h"

#include <algorithm>
#include <vector>

namespace attnscope::core {

double meanFirstKeyWeight(const float* probs, int n) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += probs[int64_t(i) * n];
    return n > 0 ? sum / n : 0.0;
}

void summarizeHead(const float* probs, int n, int t, float* thumb, float* hidden, double* sinkShare, bool causal) {
    *sinkShare = meanFirstKeyWeight(probs, n);
    std::vector<double> sum(size_t(t) * size_t(t), 0.0), sumHidden(hidden ? sum.size() : 0, 0.0);  // (t, t)
    std::vector<int> column(static_cast<size_t>(n));  // key j -> its block
    std::vector<int64_t> width(static_cast<size_t>(t), 0), height(static_cast<size_t>(t), 0);
    for (int j = 0; j < n; ++j) {
        column[size_t(j)] = int(int64_t(j) * t / n);
        ++width[size_t(column[size_t(j)])];
    }
    for (int i = 0; i < n; ++i) {
        const float* row = probs + int64_t(i) * n;  // (n)
        const int r = int(int64_t(i) * t / n);
        ++height[size_t(r)];
        // Keys [0, end): past it a causal row holds zeros, which would add nothing to the sums.
        const int end = causal ? std::min(n, i + 1) : n;
        double* out = sum.data() + size_t(r) * size_t(t);
        for (int j = 0; j < end; ++j) out[column[size_t(j)]] += row[j];
        if (!hidden) continue;
        double rest = 0;  // as withoutFirstKey: column 0 dropped, the others renormalised
        for (int j = 1; j < end; ++j) rest += row[j];
        const float scale = rest > 0 ? float(1.0 / rest) : 0.0f;
        double* outHidden = sumHidden.data() + size_t(r) * size_t(t);
        for (int j = 1; j < end; ++j) outHidden[column[size_t(j)]] += double(row[j] * scale);
    }
    for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) {
            const size_t at = size_t(r) * size_t(t) + size_t(c);
            const double cells = double(std::max<int64_t>(1, height[size_t(r)] * width[size_t(c)]));
            thumb[at] = float(sum[at] / cells);
            if (hidden) hidden[at] = float(sumHidden[at] / cells);
        }
}

}  // namespace attnscope::core
