#include "model/model_loader.h"

#include "model/decoder_model.h"
#include "model/encoder_model.h"
#include "model/gpt2_model.h"
#include "model/vit_model.h"
#include "tokenize/tokenizer_loader.h"

#include <QDir>
#include <QFileInfo>

namespace attnscope::core {

QString LoadedModel::summary() const {
    const ModelConfig& c = config();
    const double millions = double(model->parameterCount()) / 1e6;
    return QStringLiteral("%1, %2 layers x %3 heads, hidden %4, %5 M parameters, %6")
        .arg(c.modelType)
        .arg(c.layers)
        .arg(c.heads)
        .arg(c.hidden)
        .arg(millions < 10 ? QString::number(millions, 'f', 2) : QString::number(millions, 'f', 0))
        .arg(model->checkpoint().storageDType());
}

Result<std::shared_ptr<Model>> buildModel(const ModelConfig& config, std::shared_ptr<Checkpoint> checkpoint) {
    switch (config.family) {
        case Family::Bert:
        case Family::Roberta:
        case Family::DistilBert:
            return EncoderModel::load(config, std::move(checkpoint));
        case Family::Gpt2:
            return Gpt2Model::load(config, std::move(checkpoint));
        case Family::Vit:
            return VitModel::load(config, std::move(checkpoint));
        case Family::Decoder:
            return DecoderModel::load(config, std::move(checkpoint));
    }
    return internalError(QStringLiteral("unknown model family"));
}

Result<LoadedModel> loadModelFolder(const QString& folder) {
    if (!QFileInfo(folder).isDir()) return inputError(QStringLiteral("%1: no such folder").arg(folder));
    auto config = loadModelConfig(folder);
    if (!config) return config.error();
    auto checkpoint = Checkpoint::open(folder);
    if (!checkpoint) return checkpoint.error();
    auto model = buildModel(*config, std::move(checkpoint).value());
    if (!model) return model.error();
    if (config->isVision())  // images need no tokenizer (preprocessor_config.json is read when an image comes)
        return LoadedModel{QDir(folder).absolutePath(), QDir(folder).absolutePath(), std::move(model).value(), nullptr};
    auto tokenizer = loadTokenizer(folder);
    if (!tokenizer) return tokenizer.error();
    if ((*tokenizer)->vocabSize() > config->vocabSize)
        return inputError(QStringLiteral("the tokenizer has %1 tokens but the model's vocabulary has %2")
                              .arg((*tokenizer)->vocabSize())
                              .arg(config->vocabSize));
    return LoadedModel{QDir(folder).absolutePath(), QDir(folder).absolutePath(), std::move(model).value(), std::move(tokenizer).value()};
}

}  // namespace attnscope::core
