#include "hub/hub_cache.h"

#include "io/atomic_file.h"
#include "util/input_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace attnscope::core {

QString HubCache::repoFolder(const RepoRef& ref) const { return m_root + QLatin1Char('/') + ref.folderName(); }

QString HubCache::blobPath(const RepoRef& ref, const QString& etag) const { return repoFolder(ref) + QStringLiteral("/blobs/") + etag; }

QString HubCache::snapshotFolder(const RepoRef& ref, const QString& commit) const {
    return repoFolder(ref) + QStringLiteral("/snapshots/") + commit;
}

QString HubCache::lockPath(const RepoRef& ref, const QString& etag) const {
    return m_root + QStringLiteral("/.locks/") + ref.folderName() + QLatin1Char('/') + etag + QStringLiteral(".lock");
}

std::optional<QString> HubCache::commitFor(const RepoRef& ref) const {
    if (isCommitId(ref.revision) && QFileInfo(snapshotFolder(ref, ref.revision)).isDir()) return ref.revision;
    auto bytes = readInputFile(repoFolder(ref) + QStringLiteral("/refs/") + ref.revision, 1024);
    if (!bytes) return std::nullopt;
    const QString commit = QString::fromLatin1(*bytes).trimmed();
    if (!isCommitId(commit)) return std::nullopt;
    return commit;
}

std::optional<QString> HubCache::completeSnapshot(const RepoRef& ref) const {
    const auto commit = commitFor(ref);
    if (!commit) return std::nullopt;
    const QString folder = snapshotFolder(ref, *commit);
    if (!folderHasModel(folder)) return std::nullopt;
    return folder;
}

Status HubCache::writeRef(const RepoRef& ref, const QString& commit) const {
    if (isCommitId(ref.revision)) return {};  // a commit needs no ref
    const QString path = repoFolder(ref) + QStringLiteral("/refs/") + ref.revision;
    if (!QDir().mkpath(QFileInfo(path).path())) return inputError(QStringLiteral("cannot create %1").arg(QFileInfo(path).path()));
    return saveBytesAtomically(path, commit.toLatin1());  // as huggingface_hub: the sha, no newline
}

Status HubCache::linkSnapshotFile(const RepoRef& ref, const QString& commit, const QString& file, const QString& etag) const {
    const QString link = snapshotFolder(ref, commit) + QLatin1Char('/') + file;
    if (!QDir().mkpath(QFileInfo(link).path())) return inputError(QStringLiteral("cannot create %1").arg(QFileInfo(link).path()));
    const QString target = QStringLiteral("../").repeated(2 + int(file.count(QLatin1Char('/')))) + QStringLiteral("blobs/") + etag;
    const QFileInfo existing(link);
    if (existing.isSymLink() || existing.exists()) {
        if (existing.isSymLink() && existing.symLinkTarget() == QFileInfo(blobPath(ref, etag)).absoluteFilePath()) return {};
        QFile::remove(link);
    }
    // A temporary link renamed over the name: readers see the old link or the new one, never none.
    const QString temporary = link + QStringLiteral(".attnscope-link");
    QFile::remove(temporary);
    if (!QFile::link(target, temporary) || !QFile::rename(temporary, link)) {
        QFile::remove(temporary);
        return inputError(QStringLiteral("cannot link %1 in the cache").arg(link));
    }
    return {};
}

bool folderHasModel(const QString& folder) {
    const QDir dir(folder);
    if (!QFileInfo(dir.filePath(QStringLiteral("config.json"))).isFile()) return false;
    if (QFileInfo(dir.filePath(QStringLiteral("model.safetensors"))).isFile()) return true;
    const QString index = dir.filePath(QStringLiteral("model.safetensors.index.json"));
    auto bytes = readInputFile(index, kMaxConfigBytes);
    if (!bytes) return false;
    const QJsonObject map = QJsonDocument::fromJson(*bytes).object().value(QStringLiteral("weight_map")).toObject();
    if (map.isEmpty()) return false;
    for (auto it = map.begin(); it != map.end(); ++it)
        if (!isSafeRepoFileName(it.value().toString()) || !QFileInfo(dir.filePath(it.value().toString())).isFile()) return false;
    return true;
}

}  // namespace attnscope::core
