#include "model/model.h"

#include "kernels/kernels.h"

#include <algorithm>
#include <numeric>

namespace attnscope::core {

Status Model::checkInput(const std::vector<int>& ids, const std::vector<int>& typeIds) const {
    if (ids.empty()) return inputError(QStringLiteral("the input has no tokens"));
    if (int(ids.size()) > m_config.maxTokens())
        return inputError(QStringLiteral("the input has %1 tokens but the model accepts at most %2")
                              .arg(ids.size())
                              .arg(m_config.maxTokens()));
    for (size_t i = 0; i < ids.size(); ++i)
        if (ids[i] < 0 || ids[i] >= m_config.vocabSize)
            return inputError(QStringLiteral("token id %1 at position %2 is outside the vocabulary (0..%3)")
                                  .arg(ids[i])
                                  .arg(i)
                                  .arg(m_config.vocabSize - 1));
    if (!typeIds.empty()) {
        if (typeIds.size() != ids.size())
            return inputError(QStringLiteral("%1 token type ids for %2 tokens").arg(typeIds.size()).arg(ids.size()));
        for (int t : typeIds)
            if (t < 0 || t >= std::max(1, m_config.typeVocabSize))
                return inputError(QStringLiteral("token type id %1 is outside 0..%2")
                                      .arg(t)
                                      .arg(std::max(1, m_config.typeVocabSize) - 1));
    }
    return {};
}

std::vector<TokenScore> Model::topK(const ForwardOutput& out, int position, int k) const {
    std::vector<float> probs = lmLogits(out, position);
    kernels::softmax(probs.data(), int64_t(probs.size()));
    std::vector<int> order(probs.size());
    std::iota(order.begin(), order.end(), 0);
    k = std::clamp(k, 0, int(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return probs[size_t(a)] > probs[size_t(b)]; });
    std::vector<TokenScore> top;
    for (int i = 0; i < k; ++i) top.push_back({order[size_t(i)], probs[size_t(order[size_t(i)])]});
    return top;
}

}  // namespace attnscope::core
