#pragma once

#include "model/model.h"
#include "tokenize/tokenizer.h"
#include "util/result.h"

#include <QString>

#include <memory>

namespace attnscope::core {

// A model folder, loaded: the network and its tokenizer.
struct LoadedModel {
    QString folder;
    QString source;  // what the user named: the folder, or a Hub id (ORG/NAME[@REV]) resolved to it
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Tokenizer> tokenizer;

    const ModelConfig& config() const { return model->config(); }
    // "bert, 12 layers x 12 heads, hidden 768, 110 M parameters, F32"
    QString summary() const;
};

// Reads config.json, the safetensors weights and the tokenizer of a Hugging Face model folder.
Result<LoadedModel> loadModelFolder(const QString& folder);

// Builds the model of a config over a checkpoint (the family picks the implementation).
Result<std::shared_ptr<Model>> buildModel(const ModelConfig& config, std::shared_ptr<Checkpoint> checkpoint);

}  // namespace attnscope::core
