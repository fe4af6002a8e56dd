#pragma once

#include "model/attention_block.h"
#include "model/model.h"
#include "model/weight_loader.h"

namespace attnscope::core {

// BERT, RoBERTa and DistilBERT: embeddings + LayerNorm, then post-LN encoder layers
// (x = LN(x + attn(x)); x = LN(x + ffn(x))). Optional masked-LM head.
class EncoderModel : public Model {
public:
    static Result<std::shared_ptr<Model>> load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt);

    Result<ForwardOutput> forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                  TraceSink* sink, const std::atomic<bool>* cancel) const override;
    bool hasLmHead() const override { return m_head.decoder.hasWeights(); }
    std::vector<float> lmLogits(const ForwardOutput& out, int position) const override;
    std::vector<float> lensLogits(const float* hidden, int rows, int index) const override;

private:
    struct Layer {
        AttentionBlock::Weights attn;
        NormWeights attnNorm;       // after the attention residual
        kernels::Linear ffnIn;      // (H) -> (I)
        kernels::Linear ffnOut;     // (I) -> (H)
        NormWeights outNorm;        // after the feed-forward residual
    };
    struct LmHead {
        kernels::Linear transform;  // (H) -> (H)
        kernels::Activation activation = kernels::Activation::GeluErf;
        NormWeights norm;
        kernels::Linear decoder;  // (V, H) as stored with its bias (V), usually tied to the word embeddings
    };

    using Model::Model;
    Status loadWeights();
    void loadHead(WeightLoader& base);
    void embed(const std::vector<int>& ids, const std::vector<int>& typeIds, float* x) const;

    kernels::Linear m_wordEmb;          // (V, H) as stored
    const float* m_posEmb = nullptr;    // (P, H)
    const float* m_typeEmb = nullptr;   // (T, H) or null (DistilBERT)
    NormWeights m_embNorm;
    std::vector<Layer> m_layers;
    LmHead m_head;
};

}  // namespace attnscope::core
