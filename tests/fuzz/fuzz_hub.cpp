// What the Hub (or anything answering at HF_ENDPOINT) sends, and what users type as a model id:
// the revision listing's JSON, the file names it lists, and ids. A listing is accepted only with a
// commit id and safe relative names; the files AttnScope would fetch are among those listed.
#include "fuzz_common.h"
#include "hub/hub_client.h"
#include "hub/hub_download.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp(32ull << 20);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    const QByteArray bytes = attnscope::fuzz::bytes(data, size);
    const QString text = QString::fromUtf8(bytes);
    if (auto ref = parseRepoRef(text.left(300))) {
        if (ref->repo.contains(QStringLiteral("..")) || ref->repo.startsWith(QLatin1Char('/')) || ref->repo.count(QLatin1Char('/')) > 1 ||
            ref->revision.contains(QStringLiteral("..")) || ref->folderName().contains(QLatin1Char('/')))
            __builtin_trap();
    }
    if (isSafeRepoFileName(text) && (text.startsWith(QLatin1Char('/')) || text.split(QLatin1Char('/')).contains(QStringLiteral(".."))))
        __builtin_trap();
    auto listing = parseRevisionListing(bytes, QStringLiteral("fuzz"));
    if (!listing) return 0;
    if (!isCommitId(listing->commit)) __builtin_trap();
    for (const QString& f : listing->files)
        if (!isSafeRepoFileName(f)) __builtin_trap();
    RepoRef ref{QStringLiteral("org/name"), QStringLiteral("main")};
    if (auto wanted = wantedFiles(listing->files, ref))
        for (const QString& f : *wanted)
            if (!listing->files.contains(f)) __builtin_trap();
    return 0;
}
