#pragma once

#include "model/model.h"
#include "model/rotary_attention.h"
#include "model/weight_loader.h"

namespace attnscope::core {

// The rotary decoders: llama (SmolLM, TinyLlama, ...), mistral, qwen2, qwen3, gemma3_text.
// x = embed(ids) (Gemma: * sqrt(H)); per layer x += attn(norm(x)), x += mlp(norm(x)) with RMSNorm
// (Gemma: four norms, the outputs normalised too); mlp = down(act(gate(x)) * up(x)); final norm;
// LM head (tied to the embeddings or lm_head.weight). The trace's q and k are after RoPE.
class DecoderModel : public Model {
public:
    static Result<std::shared_ptr<Model>> load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt);

    Result<ForwardOutput> forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                  TraceSink* sink, const std::atomic<bool>* cancel) const override;
    bool hasLmHead() const override { return true; }
    std::vector<float> lmLogits(const ForwardOutput& out, int position) const override;
    std::vector<float> lensLogits(const float* hidden, int rows, int index) const override;

    // RoPE's cos and sin for positions 0..n-1 with the global (or Gemma's local) frequencies.
    RopeTable ropeTable(int n, bool local) const;

private:
    struct Layer {
        RotaryAttention::Weights attn;
        const float* inputNorm = nullptr;        // (H)
        const float* postAttentionNorm = nullptr;
        const float* preFeedforwardNorm = nullptr;   // Gemma
        const float* postFeedforwardNorm = nullptr;  // Gemma
        kernels::Linear gate, up, down;
        std::shared_ptr<const kernels::PackedLinear> gateUp;  // gate and up packed side by side, or null
        bool local = false;
    };

    using Model::Model;
    Status loadWeights();

    kernels::Linear m_embed;   // (V, H) as stored
    kernels::Linear m_lmHead;  // (V, H): lm_head.weight, or the embeddings when tied
    const float* m_finalNorm = nullptr;
    std::vector<Layer> m_layers;
};

}  // namespace attnscope::core
