// config.json of the rotary decoders: llama (and its fine-tunes: SmolLM, TinyLlama), mistral, qwen2,
// qwen3, gemma3_text. Keys that would change the numbers and are not implemented are refused.
#include "model/config_reader.h"
#include "model/model_config.h"

#include <QJsonArray>

#include <cmath>

namespace attnscope::core {
namespace {

void readRopeScaling(ConfigReader& r, const QJsonValue& value, RopeConfig& rope) {
    if (value.isNull() || value.isUndefined()) return;
    if (!value.isObject()) {
        r.fail(QStringLiteral("'rope_scaling' should be an object or null"));
        return;
    }
    const QJsonObject s = value.toObject();
    const QString type = s.value(QStringLiteral("rope_type")).toString(s.value(QStringLiteral("type")).toString());
    auto number = [&](const char* key, double fallback) {
        const QJsonValue v = s.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : fallback;
    };
    rope.factor = number("factor", 1.0);
    if (!(rope.factor > 0) || !std::isfinite(rope.factor)) r.fail(QStringLiteral("rope_scaling factor must be a positive number"));
    if (type == QLatin1String("default")) {
        rope.scaling = RopeConfig::Scaling::None;
    } else if (type == QLatin1String("linear")) {
        rope.scaling = RopeConfig::Scaling::Linear;
    } else if (type == QLatin1String("llama3")) {
        rope.scaling = RopeConfig::Scaling::Llama3;
        rope.lowFreqFactor = number("low_freq_factor", 1.0);
        rope.highFreqFactor = number("high_freq_factor", 4.0);
        const double original = number("original_max_position_embeddings", 8192);
        // Checked before the cast: a float beyond int's range converts to undefined behaviour.
        rope.originalMaxPositions = original >= 1 && original <= 1e9 ? int(original) : 0;
        if (!(rope.highFreqFactor > rope.lowFreqFactor) || rope.originalMaxPositions <= 0)
            r.fail(QStringLiteral("rope_scaling llama3 needs high_freq_factor > low_freq_factor and a positive original_max_position_embeddings"));
    } else {
        r.fail(QStringLiteral("rope_scaling type '%1' is not supported (default, linear, llama3)").arg(type));
    }
}

// Keys whose non-default value changes the numbers in ways AttnScope does not compute.
void refuseUnsupported(ConfigReader& r, const QJsonObject& json) {
    for (const char* key : {"attn_logit_softcapping", "partial_rotary_factor"}) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (!v.isNull() && !v.isUndefined() && !(QLatin1String(key) == QLatin1String("partial_rotary_factor") && v.toDouble() == 1.0))
            r.fail(QStringLiteral("'%1' is not supported").arg(QLatin1String(key)));
    }
    if (r.boolean("mlp_bias", false)) r.fail(QStringLiteral("mlp_bias true is not supported"));
}

}  // namespace

void readDecoderConfig(ConfigReader& r, ModelConfig& c, const QJsonObject& json) {
    DecoderConfig& d = c.decoder;
    const QString type = c.modelType;
    const bool gemma = type == QLatin1String("gemma3_text"), qwen = type.startsWith(QLatin1String("qwen"));
    c.hidden = r.required("hidden_size");
    c.layers = r.required("num_hidden_layers");
    c.heads = r.required("num_attention_heads");
    c.intermediate = r.required("intermediate_size");
    c.vocabSize = r.required("vocab_size");
    c.maxPositions = r.optional("max_position_embeddings", gemma ? 131072 : 2048);
    c.causal = true;
    d.kvHeads = r.optional("num_key_value_heads", c.heads);
    d.headDim = r.optional("head_dim", gemma ? 256 : 0);  // 0: hidden / heads (which must divide)
    const int headDim = d.headDim > 0 ? d.headDim : c.heads > 0 ? std::max(1, c.hidden / c.heads) : 1;
    d.rmsNormEps = float(r.number("rms_norm_eps", 1e-6));
    if (!(d.rmsNormEps > 0)) r.fail(QStringLiteral("rms_norm_eps must be positive"));
    d.rope.theta = r.number("rope_theta", gemma ? 1000000.0 : 10000.0);
    if (!(d.rope.theta > 1) || !std::isfinite(d.rope.theta)) r.fail(QStringLiteral("rope_theta must be a number above 1"));
    readRopeScaling(r, json.value(QStringLiteral("rope_scaling")), d.rope);
    d.tiedEmbeddings = r.boolean("tie_word_embeddings", gemma);
    const bool attentionBias = r.boolean("attention_bias", false);
    d.qkvBias = type == QLatin1String("qwen2") || attentionBias;
    d.outputBias = attentionBias && !qwen;
    d.qkNorm = type == QLatin1String("qwen3") || gemma;
    d.gemma = gemma;
    c.activation = gemma ? r.activation("hidden_activation", "gelu_pytorch_tanh") : r.activation("hidden_act", "silu");
    d.queryScale = float(1.0 / std::sqrt(gemma ? r.number("query_pre_attn_scalar", 256) : double(headDim)));
    if (!std::isfinite(d.queryScale) || !(d.queryScale > 0)) r.fail(QStringLiteral("query_pre_attn_scalar must be positive"));
    d.finalLogitSoftcap = float(r.number("final_logit_softcapping", 0));

    // Which layers use a sliding window.
    d.localLayers.assign(size_t(std::clamp(c.layers, 0, kMaxLayers)), false);
    const QJsonValue window = json.value(QStringLiteral("sliding_window"));
    const int windowSize = window.isDouble() ? r.optional("sliding_window", 0) : 0;
    if (gemma) {
        d.slidingWindow = windowSize > 0 ? windowSize : 4096;
        d.localRope.theta = r.number("rope_local_base_freq", 10000.0);
        const QJsonArray types = json.value(QStringLiteral("layer_types")).toArray();
        const int pattern = r.optional("sliding_window_pattern", 6);
        for (size_t i = 0; i < d.localLayers.size(); ++i) {
            if (!types.isEmpty()) d.localLayers[i] = types.at(qsizetype(i)).toString() == QLatin1String("sliding_attention");
            else d.localLayers[i] = pattern <= 0 || (int(i) + 1) % pattern != 0;
        }
        if (!types.isEmpty() && types.size() != c.layers) r.fail(QStringLiteral("layer_types lists %1 layers, not %2").arg(types.size()).arg(c.layers));
    } else if (qwen) {
        if (r.boolean("use_sliding_window", false) && windowSize > 0) {
            d.slidingWindow = windowSize;
            const int from = r.optional("max_window_layers", c.layers);
            for (size_t i = 0; i < d.localLayers.size(); ++i) d.localLayers[i] = int(i) >= from;
        }
    } else if (windowSize > 0) {  // Mistral (and any llama with a window): every layer
        d.slidingWindow = windowSize;
        d.localLayers.assign(d.localLayers.size(), true);
    }
    refuseUnsupported(r, json);
}

}  // namespace attnscope::core
