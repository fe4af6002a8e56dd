#pragma once

#include "model/attention_block.h"
#include "model/pre_ln_block.h"
#include "model/model.h"
#include "model/weight_loader.h"

namespace attnscope::core {

// GPT-2: token + position embeddings, pre-LN decoder blocks with a causal mask
// (x += attn(ln_1(x)); x += mlp(ln_2(x))), final ln_f, LM head tied to wte.
class Gpt2Model : public Model {
public:
    static Result<std::shared_ptr<Model>> load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt);

    Result<ForwardOutput> forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                  TraceSink* sink, const std::atomic<bool>* cancel) const override;
    bool hasLmHead() const override { return true; }
    std::vector<float> lmLogits(const ForwardOutput& out, int position) const override;
    std::vector<float> lensLogits(const float* hidden, int rows, int index) const override;

private:
    using Block = PreLnBlock::Weights;  // q, k, v are column slices of c_attn (H, 3H)

    using Model::Model;
    Status loadWeights();

    kernels::Linear m_wte;  // (V, H) as stored
    const float* m_wpe = nullptr;  // (P, H)
    kernels::Linear m_lmHead;  // (V, H): lm_head.weight if stored, else wte
    std::vector<Block> m_blocks;
    NormWeights m_lnF;
};

}  // namespace attnscope::core
