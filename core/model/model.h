#pragma once

#include "io/checkpoint.h"
#include "model/image_tensor.h"
#include "model/model_config.h"
#include "trace/trace_sink.h"
#include "util/result.h"

#include <atomic>
#include <memory>
#include <vector>

namespace attnscope::core {

// What a forward pass returns besides what it reports to the TraceSink.
struct ForwardOutput {
    int tokens = 0;
    int hidden = 0;
    std::vector<float> finalHidden;  // (n, H): last layer output (encoders) or after ln_f (GPT-2)
};

struct TokenScore {
    int id = 0;
    float probability = 0;
};

// A transformer checkpoint ready to run. forward() is const and thread-safe: all scratch memory
// belongs to the call.
class Model {
public:
    virtual ~Model() = default;

    const ModelConfig& config() const { return m_config; }
    const Checkpoint& checkpoint() const { return *m_checkpoint; }
    uint64_t parameterCount() const { return m_parameters; }

    // ids (n) in [0, vocab), n in [1, maxTokens]; typeIds (n) or empty for all zeros.
    // Checks `cancel` between layers and returns an error if it was set.
    virtual Result<ForwardOutput> forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                          TraceSink* sink, const std::atomic<bool>* cancel = nullptr) const = 0;

    // Whether the checkpoint has a language-model head (masked-token or next-token).
    virtual bool hasLmHead() const = 0;
    // Vocabulary logits (vocab) at one position of a forward pass.
    virtual std::vector<float> lmLogits(const ForwardOutput& out, int position) const = 0;
    // Logit lens: vocabulary logits (rows, V) of hidden-state rows (rows, H) taken at hidden-state
    // index `index` (0 = embeddings, L = the last, as TraceSink::hiddenState reports them), through
    // the model's final norm (when that index is before it) and its LM head; empty without a head.
    virtual std::vector<float> lensLogits(const float* /*hidden*/, int /*rows*/, int /*index*/) const { return {}; }
    // The k most probable tokens at a position (softmax over the vocabulary).
    std::vector<TokenScore> topK(const ForwardOutput& out, int position, int k) const;

    // Vision models: pixels (3, S, S) already preprocessed; tokens are [CLS] then the patches.
    virtual Result<ForwardOutput> forwardImage(const ImageTensor& /*pixels*/, TraceSink* /*sink*/,
                                               const std::atomic<bool>* /*cancel*/ = nullptr) const {
        return inputError(QStringLiteral("%1 is a text model; give it text, not an image").arg(m_config.modelType));
    }
    // Image classifiers: class logits from the [CLS] token.
    virtual bool hasClassifier() const { return false; }
    virtual std::vector<float> classLogits(const ForwardOutput& /*out*/) const { return {}; }

protected:
    Model(ModelConfig config, std::shared_ptr<Checkpoint> checkpoint)
        : m_config(std::move(config)), m_checkpoint(std::move(checkpoint)) {}
    Status checkInput(const std::vector<int>& ids, const std::vector<int>& typeIds) const;
    void countParameters(uint64_t n) { m_parameters += n; }
    // One transformer layer: q, k, v, out (H x H + H each), two feed-forward linears, two norms.
    static uint64_t layerParameters(uint64_t H, uint64_t I) { return 4 * (H * H + H) + 2 * H * I + I + H + 4 * H; }

    ModelConfig m_config;
    std::shared_ptr<Checkpoint> m_checkpoint;
    uint64_t m_parameters = 0;
};

}  // namespace attnscope::core
