#pragma once

#include "model/image_tensor.h"
#include "train/param_set.h"

#include <vector>

namespace attnscope::core::train {

struct TrainableVitConfig {
    int imageSize = 64;
    int patchSize = 8;
    int hidden = 64;
    int layers = 3;
    int heads = 4;
    int intermediate = 128;
    int classes = 6;
    float eps = 1e-12f;

    int patchesPerSide() const { return imageSize / patchSize; }
    int tokens() const { return patchesPerSide() * patchesPerSide() + 1; }
    int patchValues() const { return 3 * patchSize * patchSize; }
};

// ViT for image classification with Hugging Face's names and layout (ViTForImageClassification:
// patch embedding, [CLS], learned positions, pre-LN blocks, final LayerNorm, classifier on [CLS]),
// trained with a hand-written backward pass. Exported checkpoints load through the same VitModel as
// any downloaded ViT.
class TrainableVit {
public:
    explicit TrainableVit(const TrainableVitConfig& config);

    const TrainableVitConfig& config() const { return m_c; }
    ParamSet& params() { return m_params; }
    const ParamSet& params() const { return m_params; }

    // Patches (P, 3 p p) of a preprocessed image (3, S, S), in the convolution weight's order.
    std::vector<float> patches(const ImageTensor& pixels) const;

    // Cross-entropy of the classifier on one image's patches; when grad is non-null, adds
    // d(loss * scale)/d(params) into it.
    double lossAndGradient(const std::vector<float>& patches, int label, float scale, std::vector<float>* grad) const;
    double lossAndGradientDouble(const std::vector<double>& values, const std::vector<double>& patches, int label,
                                 std::vector<double>* grad) const;
    std::vector<float> logits(const std::vector<float>& patches) const;

private:
    struct LayerIds {
        int ln1g, ln1b, q, qb, k, kb, v, vb, o, ob, ln2g, ln2b, w1, b1, w2, b2;
    };
    template <typename S> struct Forward;
    template <typename S> void forward(const S* values, const S* patches, Forward<S>& f) const;
    template <typename S> double lossImpl(const S* values, const S* patches, int label, S scale, S* grad) const;

    TrainableVitConfig m_c;
    ParamSet m_params;
    int m_cls, m_pos, m_patchW, m_patchB;
    std::vector<LayerIds> m_layers;
    int m_finalG, m_finalB, m_classW, m_classB;
};

}  // namespace attnscope::core::train
