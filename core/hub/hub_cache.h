#pragma once

#include "hub/repo_ref.h"
#include "util/result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace attnscope::core {

// The Hugging Face cache as huggingface_hub lays it out, shared with Python:
//   {root}/models--{org}--{name}/refs/{revision}          the commit a branch or tag points at
//   {root}/models--{org}--{name}/blobs/{etag}             file contents (LFS files: named by sha256)
//   {root}/models--{org}--{name}/snapshots/{commit}/{file} -> ../../blobs/{etag} (relative symlink)
// Nothing is visible under snapshots/ until its blob is complete and verified.
class HubCache {
public:
    explicit HubCache(QString root) : m_root(std::move(root)) {}

    const QString& root() const { return m_root; }
    QString repoFolder(const RepoRef& ref) const;
    QString blobPath(const RepoRef& ref, const QString& etag) const;
    QString snapshotFolder(const RepoRef& ref, const QString& commit) const;
    // {root}/.locks/models--org--name/{etag}.lock, where huggingface_hub keeps its locks.
    QString lockPath(const RepoRef& ref, const QString& etag) const;

    // The commit the revision names here: itself when it is a commit id with a snapshot, else
    // refs/{revision}'s content; none when the cache has never seen it.
    std::optional<QString> commitFor(const RepoRef& ref) const;
    // The snapshot folder of the revision when it holds a whole model AttnScope can open (config,
    // safetensors weights with every shard); otherwise none.
    std::optional<QString> completeSnapshot(const RepoRef& ref) const;

    Status writeRef(const RepoRef& ref, const QString& commit) const;
    // snapshots/{commit}/{file} -> ../../blobs/{etag} (one more ../ per folder in file).
    Status linkSnapshotFile(const RepoRef& ref, const QString& commit, const QString& file, const QString& etag) const;

private:
    QString m_root;
};

// Whether a model folder holds what AttnScope needs to open it: config.json and model.safetensors
// or model.safetensors.index.json with every shard it names.
bool folderHasModel(const QString& folder);

}  // namespace attnscope::core
