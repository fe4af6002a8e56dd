#pragma once

#include "kernels/kernels.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>
#include <utility>

namespace attnscope::core {

enum class Family { Bert, Roberta, DistilBert, Gpt2, Vit, Decoder };

// Rotary position embedding: inverse frequencies theta^(-2k/d), rescaled by rope_scaling.
struct RopeConfig {
    enum class Scaling { None, Linear, Llama3 };
    double theta = 10000.0;
    Scaling scaling = Scaling::None;
    double factor = 1.0;
    double lowFreqFactor = 1.0, highFreqFactor = 4.0;
    int originalMaxPositions = 8192;
};

// The rotary decoders (llama, mistral, qwen2, qwen3, gemma3_text): what differs between them.
struct DecoderConfig {
    int kvHeads = 0;           // grouped-query attention: key/value heads (divides the heads)
    int headDim = 0;           // explicit head size (Qwen3, Gemma 3), else hidden / heads
    float rmsNormEps = 1e-6f;
    RopeConfig rope;           // global layers
    RopeConfig localRope;      // Gemma 3's local (sliding-window) layers
    bool qkvBias = false;      // Qwen2; attention_bias elsewhere
    bool outputBias = false;   // attention_bias on o_proj (Llama's attention_bias)
    bool qkNorm = false;       // Qwen3, Gemma 3: RMSNorm over each head's q and k before RoPE
    bool gemma = false;        // (1 + w) norms, four norms per layer, scaled embeddings
    float queryScale = 0;      // multiplies q.k (1/sqrt(head_dim), Gemma: 1/sqrt(query_pre_attn_scalar))
    int slidingWindow = 0;     // keys i - window < j <= i on local layers (0: none)
    std::vector<bool> localLayers;  // per layer: uses the sliding window (and Gemma's local RoPE)
    bool tiedEmbeddings = false;
    float finalLogitSoftcap = 0;  // Gemma: logits = cap tanh(logits / cap) (0: none)
};

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
    // Also the trainer's: the token ids it trained on and the nouns it learnt to name (sorted, empty
    // when not recorded), and the lowest share the coreference head gives a referent it gets right
    // (below it, the app says the sentence is outside what the model learned).
    std::vector<int> trainedTokens, referentTokens;
    float coreferenceThreshold = 0;
    // AttnScope's image teaching model: the head whose [CLS] row finds the labelled object.
    std::optional<std::pair<int, int>> clsHead;
    QString name;  // _name_or_path, or the folder name
    // Vision (ViT): square images of imageSize pixels cut into patchSize patches; class names.
    int imageSize = 0;
    int patchSize = 0;
    int channels = 3;
    QStringList labels;  // id2label in id order (empty without a classifier)
    DecoderConfig decoder;  // Family::Decoder only
    bool isVision() const { return family == Family::Vit; }
    int patchesPerSide() const { return patchSize > 0 ? imageSize / patchSize : 0; }

    int headDim() const { return decoder.headDim > 0 ? decoder.headDim : heads > 0 ? hidden / heads : 0; }
    int kvHeads() const { return decoder.kvHeads > 0 ? decoder.kvHeads : heads; }
    bool isDecoder() const { return family == Family::Decoder; }
    // Longest input in tokens (RoBERTa's positions start after the padding index).
    int maxTokens() const;
    bool isEncoder() const { return !causal; }
};

QStringList supportedModelTypes();
// The rotary decoders' config.json keys (model_type llama, mistral, qwen2, qwen3, gemma3_text).
class ConfigReader;
void readDecoderConfig(ConfigReader& reader, ModelConfig& config, const QJsonObject& json);
Result<ModelConfig> parseModelConfig(const QJsonObject& json);
Result<ModelConfig> loadModelConfig(const QString& folder);

}  // namespace attnscope::core
