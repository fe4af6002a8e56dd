#pragma once

#include "hub/hub_cache.h"
#include "hub/hub_client.h"

#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace attnscope::core {

// One file of a download: its name in the repository, identity and whether the cache has it.
struct HubFile {
    QString name;
    QString etag;
    qint64 size = 0;
    bool lfs = false;
    bool cached = false;
};

// What downloading a model takes: the commit, and the files AttnScope reads (configs, tokenizer
// files, the safetensors weights with every shard its index names).
struct HubPlan {
    RepoRef ref;
    QString commit;
    std::vector<HubFile> files;
    qint64 bytesToFetch() const;
    qint64 bytesTotal() const;
};

struct DownloadProgress {
    QString file;            // being fetched
    qint64 done = 0, total = 0;  // bytes of this download (cached files not counted)
    double bytesPerSecond = 0;
    double secondsLeft = -1;  // -1: not known yet
};

// Downloads models as huggingface_hub does, into the cache it shares with Python: each blob streamed
// to blobs/{etag}.incomplete under a lock, resumed with a Range request after a dropped connection,
// checked (an LFS file's sha256, a git blob's sha1, the size) and renamed; then the snapshot's links
// and the revision's ref. Safetensors only: a repository with nothing but pickle checkpoints is refused.
class HubDownloader {
public:
    explicit HubDownloader(HubEnvironment env, HubClient::Options options = {});

    Result<HubPlan> plan(const RepoRef& ref, const std::atomic<bool>* cancel = nullptr);
    // The snapshot folder, complete.
    Result<QString> download(const HubPlan& plan, const std::function<void(const DownloadProgress&)>& progress = {},
                             const std::atomic<bool>* cancel = nullptr);

    const HubCache& cache() const { return m_cache; }

private:
    Status fetchBlob(const HubPlan& plan, const HubFile& file, const std::function<void(qint64)>& received,
                     const std::atomic<bool>* cancel);

    HubClient m_client;
    HubCache m_cache;
};

// The files of a listing AttnScope reads; a message instead when it holds no safetensors weights
// (naming the pickle files it will not load, if any). Shards come from the index, not from here.
Result<QStringList> wantedFiles(const QStringList& listing, const RepoRef& ref);

// "1.2 GB", "340.5 MB", "12 B" (decimal units, as the Hub shows sizes); "1:05", "1:02:03", "–" when
// not known (negative).
QString formatDownloadBytes(double bytes);
QString formatDuration(double seconds);

// Whether `path` holds what `etag` promises: sha256 for an LFS file, git's blob sha1 for the others.
Status verifyBlob(const QString& path, const HubFile& file);

}  // namespace attnscope::core
