#pragma once

#include "model/model.h"
#include "trace/attention_trace.h"
#include "util/result.h"

#include <atomic>
#include <vector>

namespace attnscope::core {

// Logit lens (nostalgebraist 2020): every layer's hidden state read through the model's final
// norm and its LM head, as if the model stopped there. cells (L + 1, n, k), layer 0 = embeddings,
// layer L = the model's own output; each cell's k most probable tokens, highest first.
struct LogitLens {
    int layers = 0;  // L + 1
    int tokens = 0;
    int k = 0;
    std::vector<TokenScore> cells;
    const TokenScore* at(int layer, int token) const {
        return cells.data() + (size_t(layer) * size_t(tokens) + size_t(token)) * size_t(k);
    }
};

// k in [1, 100]. Refused when the model has no LM head (image models; an encoder checkpoint without
// its masked-LM head) or the trace kept no hidden states. Memory stays bounded: the vocabulary
// logits of a few rows at a time. Checks `cancel` between layers.
Result<LogitLens> logitLens(const Model& model, const AttentionTrace& trace, int k,
                            const std::atomic<bool>* cancel = nullptr);

// The k largest of a softmax over `logits` (V), highest first (ties: the lower id first).
std::vector<TokenScore> topOfSoftmax(const float* logits, int V, int k);

}  // namespace attnscope::core
