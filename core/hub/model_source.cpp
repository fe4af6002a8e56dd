#include "hub/model_source.h"

#include <QFileInfo>

namespace attnscope::core {

Result<ModelSource> resolveModelSource(const QString& argument, const HubEnvironment& env, const ModelSourceOptions& options) {
    ModelSource source;
    if (QFileInfo::exists(argument)) {  // a path always wins
        source.folder = argument;
        return source;
    }
    auto ref = parseRepoRef(argument);
    if (!ref) {
        if (argument.contains(QLatin1Char('/')) && (argument.startsWith(QLatin1Char('/')) || argument.startsWith(QLatin1Char('.'))))
            return inputError(QStringLiteral("%1: no such folder").arg(argument));
        return ref.error();
    }
    source.hub = *ref;
    const HubCache cache(env.cacheDir);
    if (const auto folder = cache.completeSnapshot(*ref)) {  // no network at all
        source.folder = *folder;
        return source;
    }
    if (env.offline)
        return inputError(QStringLiteral("%1 is not in the Hugging Face cache (%2) and HF_HUB_OFFLINE is set: nothing can be downloaded")
                              .arg(ref->display(), env.cacheDir));
    if (!options.allowDownload)
        return inputError(QStringLiteral("%1 is neither a folder nor in the Hugging Face cache (%2); download it first "
                                         "(attnscope-cli download %1)")
                              .arg(ref->display(), env.cacheDir));
    HubDownloader downloader(env, options.client);
    auto plan = downloader.plan(*ref, options.cancel);
    if (!plan) return plan.error();
    if (options.planned) options.planned(*plan);
    auto folder = downloader.download(*plan, options.progress, options.cancel);
    if (!folder) return folder.error();
    source.folder = *folder;
    return source;
}

}  // namespace attnscope::core
