#include "analysis/logit_lens.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attnscope::core {

std::vector<TokenScore> topOfSoftmax(const float* logits, int V, int k) {
    k = std::clamp(k, 0, V);
    const float top = *std::max_element(logits, logits + V);
    double sum = 0;
    for (int v = 0; v < V; ++v) sum += std::exp(double(logits[v]) - double(top));
    std::vector<int> order(static_cast<size_t>(V));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return logits[a] != logits[b] ? logits[a] > logits[b] : a < b;
    });
    std::vector<TokenScore> out;
    out.reserve(size_t(k));
    for (int i = 0; i < k; ++i) {
        const int id = order[size_t(i)];
        out.push_back({id, float(std::exp(double(logits[id]) - double(top)) / sum)});
    }
    return out;
}

Result<LogitLens> logitLens(const Model& model, const AttentionTrace& trace, int k, const std::atomic<bool>* cancel) {
    if (!model.hasLmHead())
        return inputError(model.config().isVision()
                              ? QStringLiteral("%1 is an image model: it has no language-model head to read layers through")
                                    .arg(model.config().name)
                              : QStringLiteral("%1 has no language-model head in its checkpoint (a masked-LM or causal-LM "
                                               "checkpoint has one)")
                                    .arg(model.config().name));
    if (k < 1 || k > 100) return inputError(QStringLiteral("--top must be between 1 and 100, not %1").arg(k));
    if (!trace.hasHidden()) return inputError(QStringLiteral("the trace kept no hidden states"));
    const int n = trace.tokens(), H = trace.hidden(), V = model.config().vocabSize;
    LogitLens lens;
    lens.layers = trace.layers() + 1;
    lens.tokens = n;
    lens.k = std::min(k, V);
    lens.cells.resize(size_t(lens.layers) * size_t(n) * size_t(lens.k));
    // Rows per product: the (rows, V) logits within ~64 MB.
    const int chunk = int(std::clamp<int64_t>((int64_t(16) << 20) / std::max(1, V), 1, 256));
    for (int l = 0; l < lens.layers; ++l) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        const float* hidden = trace.hiddenState(l);  // (n, H)
        for (int first = 0; first < n; first += chunk) {
            const int rows = std::min(chunk, n - first);
            const std::vector<float> logits = model.lensLogits(hidden + size_t(first) * size_t(H), rows, l);  // (rows, V)
            for (int r = 0; r < rows; ++r) {
                const auto top = topOfSoftmax(logits.data() + size_t(r) * size_t(V), V, lens.k);
                std::copy(top.begin(), top.end(),
                          lens.cells.begin() + ptrdiff_t((size_t(l) * size_t(n) + size_t(first + r)) * size_t(lens.k)));
            }
        }
    }
    return lens;
}

}  // namespace attnscope::core
