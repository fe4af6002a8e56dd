#pragma once

#include "kernels/kernels.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace attnscope::core {

enum class Family { Bert, Roberta, DistilBert, Gpt2, Vit };

// Limits on config.json sizes: far above any real checkpoint (Llama 3.1 405B: hidden 16384,
// 126 layers, FF 53248; Gemma 3: vocabulary 262,144; Llama 4: 10 M positions is the outlier we
// refuse), low enough that size products fit in 64 bits and per-row sizes in 32.
inline constexpr int kMaxHidden = 1 << 16;
inline constexpr int kMaxLayers = 1024;
inline constexpr int kMaxHeads = 1024;
inline constexpr int kMaxIntermediate = 1 << 20;
inline constexpr int kMaxVocab = 1 << 24;
inline constexpr int kMaxPositions = 1 << 22;
inline constexpr int kMaxImageSide = 1 << 14;
inline constexpr int kMaxPatches = 1 << 16;

// The architecture facts AttnScope needs from a Hugging Face config.json, normalised across
// families (each family names its keys differently).
struct ModelConfig {
    QString modelType;  // as written in config.json
    Family family = Family::Bert;
    int hidden = 0;
    int layers = 0;
    int heads = 0;
    int intermediate = 0;
    int vocabSize = 0;
    int maxPositions = 0;  // rows of the position embedding table
    int typeVocabSize = 0;  // 0 when the family has no token types
    int padTokenId = 0;
    float layerNormEps = 1e-12f;
    kernels::Activation activation = kernels::Activation::GeluErf;
    bool causal = false;
    // Written by AttnScope's trainer: the head that resolves pronouns.
    std::optional<std::pair<int, int>> coreferenceHead;
    // AttnScope's image teaching model: the head whose [CLS] row finds the labelled object.
    std::optional<std::pair<int, int>> clsHead;
    QString name;  // _name_or_path, or the folder name
    // Vision (ViT): square images of imageSize pixels cut into patchSize patches; class names.
    int imageSize = 0;
    int patchSize = 0;
    int channels = 3;
    QStringList labels;  // id2label in id order (empty without a classifier)
    bool isVision() const { return family == Family::Vit; }
    int patchesPerSide() const { return patchSize > 0 ? imageSize / patchSize : 0; }

    int headDim() const { return heads > 0 ? hidden / heads : 0; }
    // Longest input in tokens (RoBERTa's positions start after the padding index).
    int maxTokens() const;
    bool isEncoder() const { return !causal; }
};

QStringList supportedModelTypes();
Result<ModelConfig> parseModelConfig(const QJsonObject& json);
Result<ModelConfig> loadModelConfig(const QString& folder);

}  // namespace attnscope::core
