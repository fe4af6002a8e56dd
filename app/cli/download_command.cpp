#include "cli_common.h"
#include "commands.h"
#include "download_progress.h"

#include "hub/model_source.h"

#include <cstdio>

namespace attnscope::cli {

int runDownload(const QStringList& args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A Hugging Face model id: ORG/NAME or NAME, optionally @REVISION."));
    parser.addOption({QStringLiteral("revision"), QStringLiteral("Branch, tag or commit (default main)."), QStringLiteral("R")});
    if (int status = parseCommand(parser, args,
                                  QStringLiteral("Downloads a model from the Hugging Face Hub into the cache huggingface_hub uses "
                                                 "(HF_HOME, HF_HUB_CACHE), only what it lacks: configs, tokenizer files and the "
                                                 "safetensors weights. Progress on stderr; the snapshot folder on stdout."),
                                  true);
        status >= 0)
        return status;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) return usageError(QStringLiteral("give one model id, e.g. attnscope-cli download Qwen/Qwen3-0.6B"));
    auto ref = core::parseRepoRef(positional.first(), parser.value(QStringLiteral("revision")));
    if (!ref) return fail(ref.error());
    const core::HubEnvironment env = core::HubEnvironment::fromSystem();
    const core::HubCache cache(env.cacheDir);
    if (const auto folder = cache.completeSnapshot(*ref)) {
        std::fprintf(stderr, "attnscope-cli: %s is already in the cache\n", ref->display().toUtf8().constData());
        std::printf("%s\n", folder->toUtf8().constData());
        return kExitOk;
    }
    auto folder = downloadWithProgress(ref->display(), env);
    if (!folder) return fail(folder.error());
    std::printf("%s\n", folder->toUtf8().constData());
    return kExitOk;
}

}  // namespace attnscope::cli
