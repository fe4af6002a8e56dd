#pragma once

#include "model/attention_block.h"
#include "model/pre_ln_block.h"
#include "model/model.h"
#include "model/weight_loader.h"

namespace attnscope::core {

// ViT: patch embedding (a stride-p convolution, done as one matrix product), [CLS] token, learned
// positions, pre-LN blocks (x += attn(ln_before(x)); x += mlp(ln_after(x))), final LayerNorm and a
// classifier on [CLS].
class VitModel : public Model {
public:
    static Result<std::shared_ptr<Model>> load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt);

    Result<ForwardOutput> forward(const std::vector<int>& ids, const std::vector<int>& typeIds, TraceSink* sink,
                                  const std::atomic<bool>* cancel) const override;
    Result<ForwardOutput> forwardImage(const ImageTensor& pixels, TraceSink* sink, const std::atomic<bool>* cancel) const override;
    bool hasLmHead() const override { return false; }
    std::vector<float> lmLogits(const ForwardOutput&, int) const override { return {}; }
    bool hasClassifier() const override { return m_classifier.hasWeights(); }
    std::vector<float> classLogits(const ForwardOutput& out) const override;

private:
    using Block = PreLnBlock::Weights;  // ln1 = layernorm_before, ln2 = layernorm_after

    using Model::Model;
    Status loadWeights();

    kernels::Linear m_patch;       // (3 p p) -> (H): the convolution weight (H, 3, p, p) read as (H, 3 p p)
    const float* m_cls = nullptr;  // (H)
    const float* m_pos = nullptr;  // (1 + P, H)
    std::vector<Block> m_blocks;
    NormWeights m_final;
    kernels::Linear m_classifier;  // (H) -> (classes)
};

}  // namespace attnscope::core
