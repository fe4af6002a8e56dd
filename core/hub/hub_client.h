#pragma once

#include "hub/hub_environment.h"
#include "hub/repo_ref.h"
#include "util/result.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <functional>

namespace attnscope::core {

// What a revision holds: its commit and every file's name (GET {endpoint}/api/models/{repo}/revision/{rev}).
struct RevisionListing {
    QString commit;
    QStringList files;
};

// The listing's JSON ({"sha", "siblings": [{"rfilename"}]}) checked: a commit id, safe file names.
Result<RevisionListing> parseRevisionListing(const QByteArray& json, const QString& what);

// A file's identity at a commit (HEAD on its resolve URL, redirects not followed): the commit,
// the etag (an LFS file's: its sha256, from X-Linked-Etag; else ETag, quotes and W/ removed) and size.
struct FileMeta {
    QString commit;
    QString etag;
    qint64 size = -1;
    bool lfs = false;
};

// HTTP to a Hugging Face endpoint, as huggingface_hub speaks it, one request at a time on the
// calling thread (its own event loop; cancel is polled). Redirects are followed by hand: relative
// ones on the same host, others anywhere, and the token goes only to the endpoint's own host.
class HubClient {
public:
    struct Options {
        int attempts = 4;             // tries of a download whose connection drops
        int backoffMs = 500;          // before the second try, doubled each time
        int transferTimeoutMs = 30000;  // no byte for this long: the connection counts as dropped
    };
    explicit HubClient(HubEnvironment env) : m_env(std::move(env)) {}
    HubClient(HubEnvironment env, Options options) : m_env(std::move(env)), m_options(options) {}

    Result<RevisionListing> listRevision(const RepoRef& ref, const std::atomic<bool>* cancel = nullptr);
    Result<FileMeta> fileMeta(const RepoRef& ref, const QString& commit, const QString& file, const std::atomic<bool>* cancel = nullptr);
    // Appends the file's bytes to `path` from its current size (a Range request resumes a partial
    // download), retrying a dropped connection; received(total bytes in the file) as they come.
    Status fetch(const RepoRef& ref, const QString& commit, const QString& file, const QString& path,
                 const std::function<void(qint64)>& received, const std::atomic<bool>* cancel = nullptr);

    QUrl resolveUrl(const RepoRef& ref, const QString& revision, const QString& file) const;
    const HubEnvironment& environment() const { return m_env; }

    struct Exchange;  // one request's outcome (hub_client.cpp)

private:
    HubEnvironment m_env;
    Options m_options;
};

}  // namespace attnscope::core
