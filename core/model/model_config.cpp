#include "model/model_config.h"

#include "model/config_reader.h"
#include "util/json_file.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace attnscope::core {
namespace {

void readBertFamily(ConfigReader& r, ModelConfig& c) {
    c.hidden = r.required("hidden_size");
    c.layers = r.required("num_hidden_layers");
    c.heads = r.required("num_attention_heads");
    c.intermediate = r.required("intermediate_size");
    c.vocabSize = r.required("vocab_size");
    const bool roberta = c.family == Family::Roberta;
    c.maxPositions = r.optional("max_position_embeddings", roberta ? 514 : 512);
    c.typeVocabSize = r.optional("type_vocab_size", roberta ? 1 : 2);
    c.padTokenId = r.optional("pad_token_id", roberta ? 1 : 0);
    c.layerNormEps = float(r.number("layer_norm_eps", 1e-12));
    c.activation = r.activation("hidden_act", "gelu");
    // Keys that change the numbers: refused rather than silently ignored.
    const QString positions = r.string("position_embedding_type", QStringLiteral("absolute"));
    if (positions != QLatin1String("absolute"))
        r.fail(QStringLiteral("position_embedding_type '%1' is not supported (absolute)").arg(positions));
    if (r.boolean("is_decoder", false)) r.fail(QStringLiteral("is_decoder true (a causal BERT) is not supported"));
}

void readDistilBert(ConfigReader& r, ModelConfig& c) {
    c.hidden = r.required("dim");
    c.layers = r.required("n_layers");
    c.heads = r.required("n_heads");
    c.intermediate = r.required("hidden_dim");
    c.vocabSize = r.required("vocab_size");
    c.maxPositions = r.optional("max_position_embeddings", 512);
    c.padTokenId = r.optional("pad_token_id", 0);
    c.layerNormEps = 1e-12f;  // fixed in the reference implementation
    c.activation = r.activation("activation", "gelu");
}

void readGpt2(ConfigReader& r, ModelConfig& c) {
    c.hidden = r.required("n_embd");
    c.layers = r.required("n_layer");
    c.heads = r.required("n_head");
    c.vocabSize = r.required("vocab_size");
    c.maxPositions = r.optional("n_positions", 1024);
    c.intermediate = r.optional("n_inner", int(std::min<int64_t>(4 * int64_t(c.hidden), 1000000000)));
    c.layerNormEps = float(r.number("layer_norm_epsilon", 1e-5));
    c.causal = true;
    c.activation = r.activation("activation_function", "gelu_new");
    if (r.boolean("scale_attn_by_inverse_layer_idx", false))
        r.fail(QStringLiteral("scale_attn_by_inverse_layer_idx is not supported"));
    if (!r.boolean("scale_attn_weights", true))
        r.fail(QStringLiteral("scale_attn_weights false (attention scores without the 1/sqrt(d) scale) is not supported"));
}

void readVit(ConfigReader& r, ModelConfig& c, const QJsonObject& json) {
    c.hidden = r.required("hidden_size");
    c.layers = r.required("num_hidden_layers");
    c.heads = r.required("num_attention_heads");
    c.intermediate = r.required("intermediate_size");
    c.imageSize = r.optional("image_size", 224);
    c.patchSize = r.optional("patch_size", 16);
    c.channels = r.optional("num_channels", 3);
    c.layerNormEps = float(r.number("layer_norm_eps", 1e-12));
    c.activation = r.activation("hidden_act", "gelu");
    if (!r.boolean("qkv_bias", true)) r.fail(QStringLiteral("qkv_bias false is not supported"));
    if (c.patchSize <= 0 || c.imageSize < c.patchSize || c.imageSize % std::max(1, c.patchSize) != 0)
        r.fail(QStringLiteral("image_size %1 must be a positive multiple of patch_size %2").arg(c.imageSize).arg(c.patchSize));
    else if (c.imageSize > kMaxImageSide)
        r.fail(QStringLiteral("image_size %1 is above the limit of %2 pixels").arg(c.imageSize).arg(kMaxImageSide));
    else if (int64_t(c.patchesPerSide()) * c.patchesPerSide() > kMaxPatches)
        r.fail(QStringLiteral("image_size %1 / patch_size %2 makes %3 patches, above the limit of %4")
                   .arg(c.imageSize).arg(c.patchSize).arg(int64_t(c.patchesPerSide()) * c.patchesPerSide()).arg(kMaxPatches));
    if (c.channels != 3) r.fail(QStringLiteral("num_channels %1 is not supported (3)").arg(c.channels));
    const QJsonObject labels = json.value(QStringLiteral("id2label")).toObject();
    c.labels.resize(labels.size());
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        bool ok = false;
        const int id = it.key().toInt(&ok);
        if (!ok || id < 0 || id >= labels.size()) {
            r.fail(QStringLiteral("id2label key '%1' is not an id from 0 to %2").arg(it.key()).arg(labels.size() - 1));
            break;
        }
        c.labels[id] = it.value().toString();
    }
    const int patches = r.error().isEmpty() ? c.patchesPerSide() * c.patchesPerSide() : 0;
    c.maxPositions = patches + 1;
    c.vocabSize = std::max(1, int(c.labels.size()));  // classes, for the classifier head
}

}  // namespace

std::optional<kernels::Activation> activationFromName(const QString& name) {
    if (name == QLatin1String("gelu")) return kernels::Activation::GeluErf;
    if (name == QLatin1String("gelu_new") || name == QLatin1String("gelu_pytorch_tanh") ||
        name == QLatin1String("gelu_fast"))
        return kernels::Activation::GeluTanh;
    if (name == QLatin1String("relu")) return kernels::Activation::Relu;
    if (name == QLatin1String("silu") || name == QLatin1String("swish")) return kernels::Activation::Silu;
    return std::nullopt;
}

int ModelConfig::maxTokens() const {
    return family == Family::Roberta ? std::max(0, maxPositions - padTokenId - 1) : maxPositions;
}

QStringList supportedModelTypes() {
    return {QStringLiteral("bert"),  QStringLiteral("roberta"), QStringLiteral("distilbert"), QStringLiteral("gpt2"),
            QStringLiteral("vit"),   QStringLiteral("llama"),   QStringLiteral("mistral"),    QStringLiteral("qwen2"),
            QStringLiteral("qwen3"), QStringLiteral("gemma3_text")};
}

Result<ModelConfig> parseModelConfig(const QJsonObject& json) {
    ConfigReader r(json);
    ModelConfig c;
    const QJsonValue type = json.value(QStringLiteral("model_type"));
    if (!type.isString())
        return inputError(type.isUndefined()
                              ? QStringLiteral("config.json: missing key 'model_type'")
                              : QStringLiteral("config.json: 'model_type' should be a string"));
    c.modelType = type.toString();
    if (c.modelType == QLatin1String("bert")) {
        c.family = Family::Bert;
        readBertFamily(r, c);
    } else if (c.modelType == QLatin1String("roberta")) {
        c.family = Family::Roberta;
        readBertFamily(r, c);
    } else if (c.modelType == QLatin1String("distilbert")) {
        c.family = Family::DistilBert;
        readDistilBert(r, c);
    } else if (c.modelType == QLatin1String("gpt2")) {
        c.family = Family::Gpt2;
        readGpt2(r, c);
    } else if (c.modelType == QLatin1String("vit")) {
        c.family = Family::Vit;
        readVit(r, c, json);
    } else if (c.modelType == QLatin1String("llama") || c.modelType == QLatin1String("mistral") ||
               c.modelType == QLatin1String("qwen2") || c.modelType == QLatin1String("qwen3") ||
               c.modelType == QLatin1String("gemma3_text")) {
        c.family = Family::Decoder;
        readDecoderConfig(r, c, json);
    } else {
        return inputError(QStringLiteral("config.json: model_type '%1' is not supported (supported: %2)")
                              .arg(c.modelType, supportedModelTypes().join(QStringLiteral(", "))));
    }
    c.name = r.string("_name_or_path", QString());
    if (!r.error().isEmpty()) return inputError(QStringLiteral("config.json: ") + r.error());
    if (c.hidden <= 0 || c.layers <= 0 || c.heads <= 0 || c.vocabSize <= 0 || c.intermediate <= 0)
        return inputError(QStringLiteral("config.json: sizes must be positive"));
    // Far above any real checkpoint, low enough that every size product fits in 64 bits (and the
    // ones kernels take in 32).
    const struct {
        const char* what;
        int value, limit;
    } bounds[] = {{"the hidden size", c.hidden, kMaxHidden},       {"the number of layers", c.layers, kMaxLayers},
                  {"the number of heads", c.heads, kMaxHeads},     {"the intermediate size", c.intermediate, kMaxIntermediate},
                  {"the vocabulary size", c.vocabSize, kMaxVocab}, {"the number of positions", c.maxPositions, kMaxPositions}};
    for (const auto& b : bounds)
        if (b.value > b.limit)
            return inputError(QStringLiteral("config.json: %1 %2 is above AttnScope's limit of %3")
                                  .arg(QLatin1String(b.what)).arg(b.value).arg(b.limit));
    if (c.decoder.headDim <= 0 && c.hidden % c.heads != 0)
        return inputError(QStringLiteral("config.json: hidden size %1 is not divisible by %2 heads")
                              .arg(c.hidden)
                              .arg(c.heads));
    if (c.kvHeads() <= 0 || c.heads % c.kvHeads() != 0)
        return inputError(QStringLiteral("config.json: %1 key/value heads do not divide %2 attention heads").arg(c.kvHeads()).arg(c.heads));
    if (c.headDim() <= 0 || c.headDim() > kMaxHidden || (c.isDecoder() && c.headDim() % 2 != 0))
        return inputError(QStringLiteral("config.json: head_dim %1 must be a positive%2 size up to %3")
                              .arg(c.headDim()).arg(c.isDecoder() ? QStringLiteral(" even") : QString()).arg(kMaxHidden));
    if (!(c.layerNormEps > 0)) return inputError(QStringLiteral("config.json: layer norm epsilon must be positive"));

    auto featuredHead = [&](const char* key) -> std::optional<std::pair<int, int>> {
        const QJsonValue v = json.value(QLatin1String(key));
        if (!v.isArray() || v.toArray().size() != 2) return std::nullopt;
        const int layer = v.toArray().at(0).toInt(-1), head = v.toArray().at(1).toInt(-1);
        if (layer >= 0 && layer < c.layers && head >= 0 && head < c.heads) return std::make_pair(layer, head);
        return std::nullopt;
    };
    c.coreferenceHead = featuredHead("attnscope_coreference_head");
    auto tokenList = [&](const char* key) {
        std::vector<int> ids;
        for (const QJsonValue& v : json.value(QLatin1String(key)).toArray()) {
            const int id = v.toInt(-1);
            if (id >= 0 && id < c.vocabSize) ids.push_back(id);
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
    };
    c.trainedTokens = tokenList("attnscope_trained_tokens");
    c.referentTokens = tokenList("attnscope_referent_tokens");
    c.coreferenceThreshold = float(std::clamp(json.value(QLatin1String("attnscope_coreference_threshold")).toDouble(0), 0.0, 1.0));
    c.clsHead = featuredHead("attnscope_cls_head");
    return c;
}

Result<ModelConfig> loadModelConfig(const QString& folder) {
    const QString path = QDir(folder).filePath(QStringLiteral("config.json"));
    if (!QFileInfo::exists(path))
        return inputError(QStringLiteral("%1: no config.json (not a Hugging Face model folder)").arg(folder));
    auto json = readJsonObject(path);
    if (!json) return json.error();
    auto config = parseModelConfig(*json);
    if (config && (config->name.isEmpty() || config->name.startsWith(QLatin1Char('/'))))
        config->name = QFileInfo(QDir(folder).absolutePath()).fileName();
    return config;
}

}  // namespace attnscope::core
