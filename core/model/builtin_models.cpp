#include "model/builtin_models.h"

namespace attnscope::core {

QString builtinTeachingModelPath() { return QStringLiteral(":/attnscope/teaching-model"); }

Result<LoadedModel> loadBuiltinTeachingModel() {
    auto loaded = loadModelFolder(builtinTeachingModelPath());
    if (!loaded) return internalError(QStringLiteral("the built-in teaching model does not load: ") + loaded.message());
    return loaded;
}

QString defaultSentence() { return QStringLiteral("The animal didn't cross the road because it was tired."); }
QString defaultSentenceTwin() { return QStringLiteral("The animal didn't cross the road because it was wide."); }

}  // namespace attnscope::core
