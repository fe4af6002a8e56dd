// config.json and preprocessor_config.json: parsed, bounded, and a model built from the config with
// synthetic weights (every size the config names is allocated under the memory budget or refused).
#include "fuzz_common.h"
#include "model/image_preprocessor.h"
#include "model/model_loader.h"

#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp(32ull << 20);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    const QJsonDocument doc = QJsonDocument::fromJson(attnscope::fuzz::bytes(data, size));
    if (!doc.isObject()) return 0;
    auto config = parseModelConfig(doc.object());
    if (config) {
        // What every model relies on: heads share key/value heads evenly, a positive head size (and
        // hidden = heads x head size unless the config names head_dim, as Qwen3 and Gemma 3 do).
        if (config->heads % config->kvHeads() != 0 || config->headDim() <= 0 || config->maxTokens() < 0) __builtin_trap();
        if (config->decoder.headDim <= 0 && config->hidden % config->heads != 0) __builtin_trap();
        auto model = buildModel(*config, Checkpoint::synthetic(1));
        if (model && (*model)->config().layers != config->layers) __builtin_trap();
    }
    ModelConfig vit;
    vit.family = Family::Vit;
    vit.imageSize = 32;
    vit.patchSize = 8;
    auto pre = parsePreprocessorConfig(doc.object(), vit);
    if (pre) {
        ImageTensor img{3, 12, 17, std::vector<float>(3 * 12 * 17, 128.0f)};
        const ImageTensor out = preprocessImage(img, *pre);
        if (out.data.size() != size_t(3) * size_t(out.width) * size_t(out.height)) __builtin_trap();
    }
    return 0;
}
