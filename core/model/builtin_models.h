#pragma once

#include "model/model_loader.h"

#include <QString>
#include <QStringList>

namespace attnscope::core {

// The teaching model built into every AttnScope binary (resources/teaching-model): a small BERT
// trained by AttnScope's own trainer to resolve pronouns. Loaded through the same code as any
// downloaded checkpoint.
QString builtinTeachingModelPath();  // a Qt resource folder, ":/attnscope/teaching-model"
Result<LoadedModel> loadBuiltinTeachingModel();

// The image teaching model (resources/teaching-vit): a small ViT trained by AttnScope's own trainer
// to name the colour of the one coloured shape among grey ones, with example pictures.
QString builtinImageModelPath();  // ":/attnscope/teaching-vit"
QStringList builtinImageExamples();  // resource paths of its example PNGs, sorted

// The sentence AttnScope opens on, and its one-word twin that flips the pronoun's referent.
QString defaultSentence();
QString defaultSentenceTwin();

}  // namespace attnscope::core
