#include "cli_common.h"
#include "commands.h"

#include "model/synthetic_model.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace attnscope::cli {

int runSynthesize(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("synthetic"), QStringLiteral("The architecture, as bench --synthetic: bert-base, gpt2, vit-base, llama-1b or qwen3-0.6b."),
                      QStringLiteral("ARCH")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder to write config.json and model.safetensors into (new or empty)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("dtype"), QStringLiteral("f32, bf16 or f16 (default: as the architecture's checkpoint, bf16 for llama-1b and qwen3-0.6b)."),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 1, as bench --synthetic)."), QStringLiteral("S")});
    if (int status = parseCommand(parser, args, QStringLiteral("Writes a model folder of random weights with a real architecture's shapes "
                                                               "(what bench --synthetic runs), to measure memory and speed on a file as "
                                                               "users open one. Add the architecture's tokenizer to run text through it."));
        status >= 0)
        return status;
    const QString arch = parser.value(QStringLiteral("synthetic"));
    if (arch.isEmpty()) return usageError(QStringLiteral("--synthetic ARCH is required (%1)").arg(core::syntheticArchitectures().join(QStringLiteral(", "))));
    if (!core::syntheticArchitectures().contains(arch))
        return usageError(QStringLiteral("unknown synthetic architecture '%1' (available: %2)").arg(arch, core::syntheticArchitectures().join(QStringLiteral(", "))));
    QString error;
    const uint32_t seed = uint32_t(intOption(parser, QStringLiteral("seed"), 1, 0, 1 << 30, &error));
    core::DType storage = core::syntheticDefaultDType(arch);
    if (parser.isSet(QStringLiteral("dtype"))) storageOption(parser.value(QStringLiteral("dtype")), &storage, &error);
    if (!error.isEmpty()) return usageError(error);
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) return usageError(QStringLiteral("--out DIR is required"));
    if (QFileInfo(out).exists() && (!QFileInfo(out).isDir() || !QDir(out).isEmpty()))
        return usageError(QStringLiteral("%1 exists and is not an empty folder").arg(out));
    if (core::Status s = core::writeSyntheticModel(arch, storage, seed, out); !s) return fail(s.error());
    std::fprintf(stderr, "attnscope-cli synthesize: %s (%s) written to %s\n", arch.toUtf8().constData(),
                 core::dtypeName(storage).toUtf8().constData(), out.toUtf8().constData());
    return kExitOk;
}

}  // namespace attnscope::cli
