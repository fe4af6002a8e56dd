#include "model/synthetic_model.h"

#include "model/model_loader.h"

#include "io/atomic_file.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace attnscope::core {

QStringList syntheticArchitectures() {
    return {QStringLiteral("bert-base"), QStringLiteral("gpt2"), QStringLiteral("vit-base"), QStringLiteral("llama-1b"), QStringLiteral("qwen3-0.6b")};
}

DType syntheticDefaultDType(const QString& architecture) {
    return architecture == QLatin1String("llama-1b") || architecture == QLatin1String("qwen3-0.6b") ? DType::BF16 : DType::F32;
}

namespace {

Result<QJsonObject> syntheticConfig(const QString& architecture) {
    QJsonObject json;
    if (architecture == QLatin1String("bert-base")) {
        json = QJsonObject{{"model_type", "bert"},          {"hidden_size", 768},
                           {"num_hidden_layers", 12},       {"num_attention_heads", 12},
                           {"intermediate_size", 3072},     {"vocab_size", 30522},
                           {"max_position_embeddings", 512}, {"type_vocab_size", 2},
                           {"_name_or_path", "synthetic bert-base"}};
    } else if (architecture == QLatin1String("gpt2")) {
        json = QJsonObject{{"model_type", "gpt2"}, {"n_embd", 768},       {"n_layer", 12},
                           {"n_head", 12},         {"vocab_size", 50257}, {"n_positions", 1024},
                           {"_name_or_path", "synthetic gpt2"}};
    } else if (architecture == QLatin1String("vit-base")) {  // google/vit-base-patch16-224: 196 patches + [CLS]
        QJsonObject labels;
        for (int i = 0; i < 1000; ++i) labels.insert(QString::number(i), QStringLiteral("class %1").arg(i));
        json = QJsonObject{{"model_type", "vit"},       {"hidden_size", 768},       {"num_hidden_layers", 12},
                           {"num_attention_heads", 12}, {"intermediate_size", 3072}, {"image_size", 224},
                           {"patch_size", 16},           {"id2label", labels},       {"_name_or_path", "synthetic vit-base"}};
    } else if (architecture == QLatin1String("llama-1b")) {  // meta-llama/Llama-3.2-1B's shapes
        json = QJsonObject{{"model_type", "llama"},          {"hidden_size", 2048},        {"num_hidden_layers", 16},
                           {"num_attention_heads", 32},      {"num_key_value_heads", 8},   {"intermediate_size", 8192},
                           {"vocab_size", 128256},           {"tie_word_embeddings", true}, {"rope_theta", 500000.0},
                           {"max_position_embeddings", 131072}, {"rms_norm_eps", 1e-5},
                           {"rope_scaling", QJsonObject{{"rope_type", "llama3"}, {"factor", 32.0}, {"low_freq_factor", 1.0},
                                                        {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}}},
                           {"_name_or_path", "synthetic llama-1b"}};
    } else if (architecture == QLatin1String("qwen3-0.6b")) {  // Qwen/Qwen3-0.6B's shapes
        json = QJsonObject{{"model_type", "qwen3"},          {"hidden_size", 1024},       {"num_hidden_layers", 28},
                           {"num_attention_heads", 16},      {"num_key_value_heads", 8},  {"head_dim", 128},
                           {"intermediate_size", 3072},      {"vocab_size", 151936},      {"tie_word_embeddings", true},
                           {"rope_theta", 1000000.0},        {"max_position_embeddings", 40960}, {"rms_norm_eps", 1e-6},
                           {"_name_or_path", "synthetic qwen3-0.6b"}};
    } else {
        return inputError(QStringLiteral("unknown synthetic architecture '%1' (available: %2)")
                              .arg(architecture, syntheticArchitectures().join(QStringLiteral(", "))));
    }
    return json;
}

}  // namespace

Result<std::shared_ptr<Model>> makeSyntheticModel(const QString& architecture, uint32_t seed, DType storage) {
    auto json = syntheticConfig(architecture);
    if (!json) return json.error();
    auto config = parseModelConfig(*json);
    if (!config) return config.error();
    return buildModel(*config, Checkpoint::synthetic(seed, storage));
}

Status writeSyntheticModel(const QString& architecture, DType storage, uint32_t seed, const QString& folder) {
    auto json = syntheticConfig(architecture);
    if (!json) return json.error();
    auto config = parseModelConfig(*json);
    if (!config) return config.error();
    const auto checkpoint = Checkpoint::synthetic(seed, storage);
    auto model = buildModel(*config, checkpoint);  // requests every tensor the architecture has
    if (!model) return model.error();
    if (!QDir().mkpath(folder)) return internalError(QStringLiteral("%1: cannot create the folder").arg(folder));
    json->insert(QStringLiteral("torch_dtype"), storage == DType::BF16 ? "bfloat16" : storage == DType::F16 ? "float16" : "float32");
    if (Status s = saveBytesAtomically(QDir(folder).filePath(QStringLiteral("config.json")), QJsonDocument(*json).toJson()); !s)
        return s;
    return checkpoint->saveSynthetic(QDir(folder).filePath(QStringLiteral("model.safetensors")));
}

}  // namespace attnscope::core
