#include "model/builtin_models.h"

#include <QDir>
#include <QResource>

// The teaching model's rcc data, embedded by core/CMakeLists.txt (teaching_model_rcc.cpp).
extern "C" const unsigned char attnscope_teaching_model_rcc[];

namespace attnscope::core {

QString builtinTeachingModelPath() {
    static const bool registered = QResource::registerResource(attnscope_teaching_model_rcc);
    if (!registered) qFatal("the built-in teaching model's resource data does not register");
    return QStringLiteral(":/attnscope/teaching-model");
}

QString builtinImageModelPath() { return QStringLiteral(":/attnscope/teaching-vit"); }

QStringList builtinImageExamples() {
    const QDir dir(builtinImageModelPath() + QStringLiteral("/examples"));
    QStringList paths;
    for (const QString& name : dir.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name)) paths << dir.filePath(name);
    return paths;
}

Result<LoadedModel> loadBuiltinTeachingModel() {
    auto loaded = loadModelFolder(builtinTeachingModelPath());
    if (!loaded) return internalError(QStringLiteral("the built-in teaching model does not load: ") + loaded.message());
    return loaded;
}

QString defaultSentence() { return QStringLiteral("The animal didn't cross the road because it was tired."); }
QString defaultSentenceTwin() { return QStringLiteral("The animal didn't cross the road because it was wide."); }

}  // namespace attnscope::core
