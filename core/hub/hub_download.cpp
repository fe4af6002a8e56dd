#include "hub/hub_download.h"

#include "util/input_file.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>

#include <cmath>

namespace attnscope::core {

qint64 HubPlan::bytesToFetch() const {
    qint64 total = 0;
    for (const HubFile& f : files) total += f.cached ? 0 : f.size;
    return total;
}

qint64 HubPlan::bytesTotal() const {
    qint64 total = 0;
    for (const HubFile& f : files) total += f.size;
    return total;
}

QString formatDownloadBytes(double bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1000 && u < 4) {
        bytes /= 1000;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', u == 0 ? 0 : 1).arg(QLatin1String(units[u]));
}

QString formatDuration(double seconds) {
    if (seconds < 0) return QStringLiteral("–");
    const qint64 s = qint64(std::llround(seconds));
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

Result<QStringList> wantedFiles(const QStringList& listing, const RepoRef& ref) {
    static const QStringList kSmall = {"config.json",         "generation_config.json", "preprocessor_config.json", "tokenizer.json",
                                       "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",      "vocab.txt",
                                       "vocab.json",           "merges.txt"};
    QStringList wanted;
    for (const QString& f : kSmall)
        if (listing.contains(f)) wanted << f;
    if (listing.contains(QStringLiteral("model.safetensors"))) wanted << QStringLiteral("model.safetensors");
    else if (listing.contains(QStringLiteral("model.safetensors.index.json"))) wanted << QStringLiteral("model.safetensors.index.json");
    else {
        static const QRegularExpression pickle(QStringLiteral("(^|/)(pytorch_model.*\\.bin|.*\\.pt|.*\\.pth|.*\\.ckpt)$"));
        QStringList pickles;
        for (const QString& f : listing)
            if (pickle.match(f).hasMatch()) pickles << f;
        if (!pickles.isEmpty())
            return inputError(QStringLiteral("%1 has only pickle checkpoints (%2): AttnScope does not load pickle, which runs code when it is "
                                             "loaded. Look for a safetensors revision, often a branch the conversion bot opened: "
                                             "ORG/NAME@refs/pr/N")
                                  .arg(ref.display(), pickles.first()));
        return inputError(QStringLiteral("%1 has no model.safetensors or model.safetensors.index.json").arg(ref.display()));
    }
    if (!wanted.contains(QStringLiteral("config.json"))) return inputError(QStringLiteral("%1 has no config.json").arg(ref.display()));
    return wanted;
}

Status verifyBlob(const QString& path, const HubFile& file) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return inputError(QStringLiteral("cannot read %1").arg(path));
    if (f.size() != file.size)
        return inputError(QStringLiteral("%1: %2 bytes arrived, the Hub announced %3; the download was discarded").arg(file.name).arg(f.size()).arg(file.size));
    const bool sha256 = file.lfs || file.etag.size() == 64;
    const bool gitSha1 = !sha256 && file.etag.size() == 40;
    if (!sha256 && !gitSha1) return {};  // an etag that is no checksum: the size is all there is to check
    QCryptographicHash hash(sha256 ? QCryptographicHash::Sha256 : QCryptographicHash::Sha1);
    if (gitSha1) hash.addData("blob " + QByteArray::number(file.size) + '\0');  // git's object header
    while (!f.atEnd()) hash.addData(f.read(1 << 20));
    const QString got = QString::fromLatin1(hash.result().toHex());
    if (got != file.etag.toLower())
        return inputError(QStringLiteral("%1: checksum mismatch (expected %2 %3, got %4); the download was discarded")
                              .arg(file.name, sha256 ? QStringLiteral("sha256") : QStringLiteral("git sha1"), file.etag, got));
    return {};
}

HubDownloader::HubDownloader(HubEnvironment env, HubClient::Options options)
    : m_client(env, options), m_cache(env.cacheDir) {}

Result<HubPlan> HubDownloader::plan(const RepoRef& ref, const std::atomic<bool>* cancel) {
    if (m_client.environment().offline)
        return inputError(QStringLiteral("%1 is not in the Hugging Face cache (%2) and HF_HUB_OFFLINE is set: nothing can be downloaded")
                              .arg(ref.display(), m_cache.root()));
    auto listing = m_client.listRevision(ref, cancel);
    if (!listing) return listing.error();
    auto wanted = wantedFiles(listing->files, ref);
    if (!wanted) return wanted.error();
    HubPlan plan;
    plan.ref = ref;
    plan.commit = listing->commit;
    for (int i = 0; i < wanted->size(); ++i) {
        const QString name = wanted->at(i);
        auto meta = m_client.fileMeta(ref, plan.commit, name, cancel);
        if (!meta) return meta.error();
        HubFile f{name, meta->etag, meta->size, meta->lfs, false};
        const QFileInfo blob(m_cache.blobPath(ref, f.etag));
        f.cached = blob.isFile() && blob.size() == f.size;
        plan.files.push_back(f);
        if (name != QLatin1String("model.safetensors.index.json")) continue;
        // The shards are what the index names: fetch it now (small), then plan each shard.
        if (!f.cached)
            if (Status s = fetchBlob(plan, f, {}, cancel); !s) return s.error();
        plan.files.back().cached = true;
        auto bytes = readInputFile(m_cache.blobPath(ref, f.etag), kMaxConfigBytes);
        if (!bytes) return bytes.error();
        const QJsonObject map = QJsonDocument::fromJson(*bytes).object().value(QStringLiteral("weight_map")).toObject();
        QStringList shards;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString shard = it.value().toString();
            if (!isSafeRepoFileName(shard) || shard.contains(QLatin1Char('/')))
                return inputError(QStringLiteral("%1: model.safetensors.index.json names the shard '%2', which is not a plain file name")
                                      .arg(ref.display(), shard));
            if (!listing->files.contains(shard))
                return inputError(QStringLiteral("%1: model.safetensors.index.json names the shard '%2', which the repository does not have")
                                      .arg(ref.display(), shard));
            if (!shards.contains(shard) && !wanted->contains(shard)) shards << shard;
        }
        if (shards.isEmpty()) return inputError(QStringLiteral("%1: model.safetensors.index.json names no shards").arg(ref.display()));
        *wanted << shards;
    }
    return plan;
}

Status HubDownloader::fetchBlob(const HubPlan& plan, const HubFile& file, const std::function<void(qint64)>& received,
                                const std::atomic<bool>* cancel) {
    const QString blob = m_cache.blobPath(plan.ref, file.etag);
    if (!QDir().mkpath(QFileInfo(blob).path()) || !QDir().mkpath(QFileInfo(m_cache.lockPath(plan.ref, file.etag)).path()))
        return inputError(QStringLiteral("cannot create folders in the cache %1").arg(m_cache.root()));
    QLockFile lock(m_cache.lockPath(plan.ref, file.etag));  // one writer per blob, across processes
    lock.setStaleLockTime(0);
    while (!lock.tryLock(100)) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        if (lock.error() != QLockFile::LockFailedError)
            return inputError(QStringLiteral("cannot lock %1 in the cache").arg(m_cache.lockPath(plan.ref, file.etag)));
    }
    if (QFileInfo(blob).isFile() && QFileInfo(blob).size() == file.size) return {};  // another process finished it
    const QString partial = blob + QStringLiteral(".incomplete");
    if (QFileInfo(partial).size() > file.size) QFile::remove(partial);  // not a prefix of this file
    if (Status s = m_client.fetch(plan.ref, plan.commit, file.name, partial, received, cancel); !s) return s;
    if (Status s = verifyBlob(partial, file); !s) {
        QFile::remove(partial);
        return s;
    }
    QFile::remove(blob);
    if (!QFile::rename(partial, blob)) return inputError(QStringLiteral("cannot move %1 into place in the cache").arg(blob));
    return {};
}

Result<QString> HubDownloader::download(const HubPlan& plan, const std::function<void(const DownloadProgress&)>& progress,
                                        const std::atomic<bool>* cancel) {
    DownloadProgress p;
    p.total = plan.bytesToFetch();
    QElapsedTimer clock;
    clock.start();
    qint64 before = 0;  // bytes of the files already fetched
    for (const HubFile& f : plan.files) {
        if (f.cached && QFileInfo(m_cache.blobPath(plan.ref, f.etag)).size() == f.size) continue;
        p.file = f.name;
        auto received = [&](qint64 inFile) {
            p.done = before + inFile;
            const double seconds = double(clock.elapsed()) / 1000.0;
            p.bytesPerSecond = seconds > 0.2 ? double(p.done) / seconds : 0;
            p.secondsLeft = p.bytesPerSecond > 0 ? double(p.total - p.done) / p.bytesPerSecond : -1;
            if (progress) progress(p);
        };
        received(0);
        if (Status s = fetchBlob(plan, f, received, cancel); !s) return s.error();
        before += f.size;
    }
    for (const HubFile& f : plan.files)  // only verified blobs get here
        if (Status s = m_cache.linkSnapshotFile(plan.ref, plan.commit, f.name, f.etag); !s) return s.error();
    if (Status s = m_cache.writeRef(plan.ref, plan.commit); !s) return s.error();
    const QString folder = m_cache.snapshotFolder(plan.ref, plan.commit);
    if (!folderHasModel(folder)) return inputError(QStringLiteral("%1: the snapshot is incomplete after the download").arg(plan.ref.display()));
    return folder;
}

}  // namespace attnscope::core
