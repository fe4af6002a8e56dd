#include "hub/hub_client.h"

#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

namespace attnscope::core {

struct HubClient::Exchange {
    int status = 0;
    QHash<QByteArray, QByteArray> headers;  // names in lower case
    QByteArray body;                        // when not streamed to a file (capped)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    bool cancelled = false;
    QString writeError;  // the sink could not take the bytes (disk full)
    QUrl url;            // the last URL asked
};

namespace {

constexpr qint64 kMaxBodyBytes = 64LL << 20;  // listings and error pages

bool isRedirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

QString quoted(const QString& s) { return QString::fromLatin1(QUrl::toPercentEncoding(s)); }

// One request, redirects followed by hand (`follow`: all of them; else only relative ones, as
// huggingface_hub's HEAD does). A 2xx body goes to `sink` (appended; a 200 answer to a Range
// request starts the file again) or into the exchange.
HubClient::Exchange exchange(const HubEnvironment& env, bool head, QUrl url, bool follow, QFile* sink, int timeoutMs,
                             const std::atomic<bool>* cancel, const std::function<void(qint64)>& received) {
    HubClient::Exchange ex;
    QNetworkAccessManager nam;
    for (int hop = 0; hop < 8; ++hop) {
        ex = HubClient::Exchange();
        ex.url = url;
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(timeoutMs);
        request.setRawHeader("User-Agent", "attnscope; huggingface_hub-compatible");
        request.setRawHeader("Accept-Encoding", "identity");  // sizes and checksums are of the stored bytes
        if (!env.token.isEmpty() && url.host() == env.endpointHost())  // never to the CDN or any other host
            request.setRawHeader("Authorization", "Bearer " + env.token.toUtf8());
        const qint64 resumeFrom = sink ? sink->size() : 0;
        if (resumeFrom > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(resumeFrom) + "-");
        QNetworkReply* reply = head ? nam.head(request) : nam.get(request);
        QEventLoop loop;
        bool restarted = false;
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray data = reply->readAll();
            if (sink && (status == 200 || status == 206)) {
                if (status == 200 && resumeFrom > 0 && !restarted) {  // the server ignored the Range
                    sink->resize(0);
                    sink->seek(0);
                    restarted = true;
                }
                if (ex.writeError.isEmpty() && sink->write(data) != data.size()) {
                    ex.writeError = sink->errorString();
                    reply->abort();
                    return;
                }
                if (received) received(sink->size());
            } else if (ex.body.size() < kMaxBodyBytes) {
                ex.body += data;
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (cancel && cancel->load()) {
                ex.cancelled = true;
                reply->abort();
            }
        });
        poll.start(40);
        if (!reply->isFinished()) loop.exec();
        if (sink) sink->flush();
        ex.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        for (const auto& [name, value] : reply->rawHeaderPairs()) ex.headers.insert(name.toLower(), value);
        ex.error = reply->error();
        ex.errorString = reply->errorString();
        reply->deleteLater();
        if (ex.cancelled || !ex.writeError.isEmpty() || !isRedirect(ex.status)) return ex;
        const QUrl location(QString::fromUtf8(ex.headers.value("location")));
        if (!follow && !location.isRelative()) return ex;  // the CDN: its headers are what HEAD wants
        url = url.resolved(location);
    }
    return ex;
}

QString etagOf(const QHash<QByteArray, QByteArray>& h, bool* lfs) {
    QByteArray e = h.value("x-linked-etag");
    *lfs = !e.isEmpty();
    if (e.isEmpty()) e = h.value("etag");
    if (e.startsWith("W/")) e = e.mid(2);
    return QString::fromLatin1(e).remove(QLatin1Char('"')).trimmed();
}

}  // namespace

QUrl HubClient::resolveUrl(const RepoRef& ref, const QString& revision, const QString& file) const {
    QStringList parts;
    for (const QString& p : file.split(QLatin1Char('/'))) parts << quoted(p);
    return QUrl(m_env.endpoint + QLatin1Char('/') + ref.repo + QStringLiteral("/resolve/") + quoted(revision) + QLatin1Char('/') +
                parts.join(QLatin1Char('/')));
}

namespace {

// One line for a failed exchange; what = "model x", "file f of x", ...
Error failure(const HubClient::Exchange& ex, const HubEnvironment& env, const RepoRef& ref, const QString& what) {
    if (ex.cancelled) return inputError(QStringLiteral("cancelled"));
    if (!ex.writeError.isEmpty()) return inputError(QStringLiteral("cannot write %1 into the cache (%2): is the disk full?").arg(what, ex.writeError));
    if (ex.status == 401 || ex.status == 403)
        return inputError(QStringLiteral("%1: the Hub refused access (%2): the model is gated or private%3. For a gated model, accept its "
                                         "terms on its page, then give AttnScope an access token: set HF_TOKEN or save it in "
                                         "$HF_HOME/token (huggingface-cli login does)")
                              .arg(ref.display())
                              .arg(ex.status)
                              .arg(env.token.isEmpty() ? QStringLiteral(", or does not exist, and no token was given")
                                                       : QStringLiteral(" and the token given has no access to it")));
    if (ex.status == 404) {
        const QByteArray code = ex.headers.value("x-error-code");
        if (code == "RevisionNotFound") return inputError(QStringLiteral("%1: no revision '%2' on %3").arg(ref.repo, ref.revision, env.endpoint));
        if (code == "EntryNotFound") return inputError(QStringLiteral("%1: not found at revision %2").arg(what, ref.revision));
        return inputError(QStringLiteral("%1: not found on %2 (404)").arg(what, env.endpoint));
    }
    if (ex.status >= 400) return inputError(QStringLiteral("%1: the Hub answered %2").arg(what).arg(ex.status));
    if (ex.error != QNetworkReply::NoError)
        return inputError(QStringLiteral("cannot reach %1 (%2); check the network, or use a model already in the cache (%3)")
                              .arg(ex.url.host(), ex.errorString, QStringLiteral("HF_HUB_OFFLINE=1 uses only the cache")));
    return inputError(QStringLiteral("%1: unexpected answer %2 from %3").arg(what).arg(ex.status).arg(ex.url.host()));
}

}  // namespace

Result<RevisionListing> HubClient::listRevision(const RepoRef& ref, const std::atomic<bool>* cancel) {
    const QUrl url(m_env.endpoint + QStringLiteral("/api/models/") + ref.repo + QStringLiteral("/revision/") + quoted(ref.revision));
    const Exchange ex = exchange(m_env, false, url, true, nullptr, m_options.transferTimeoutMs, cancel, {});
    if (ex.status != 200) return failure(ex, m_env, ref, QStringLiteral("model %1").arg(ref.display()));
    return parseRevisionListing(ex.body, ref.display());
}

Result<RevisionListing> parseRevisionListing(const QByteArray& json, const QString& what) {
    QJsonParseError err;
    const QJsonObject o = QJsonDocument::fromJson(json, &err).object();
    RevisionListing listing;
    listing.commit = o.value(QStringLiteral("sha")).toString();
    if (err.error != QJsonParseError::NoError || !isCommitId(listing.commit))
        return inputError(QStringLiteral("the Hub's listing of %1 is not what huggingface_hub expects (no commit sha)").arg(what));
    for (const QJsonValue& s : o.value(QStringLiteral("siblings")).toArray()) {
        const QString name = s.toObject().value(QStringLiteral("rfilename")).toString();
        if (!isSafeRepoFileName(name))
            return inputError(QStringLiteral("%1 lists a file named '%2', which is not a safe relative path; refused").arg(what, name));
        listing.files << name;
    }
    return listing;
}

Result<FileMeta> HubClient::fileMeta(const RepoRef& ref, const QString& commit, const QString& file, const std::atomic<bool>* cancel) {
    const Exchange ex = exchange(m_env, true, resolveUrl(ref, commit, file), false, nullptr, m_options.transferTimeoutMs, cancel, {});
    if (ex.status != 200 && !isRedirect(ex.status)) return failure(ex, m_env, ref, QStringLiteral("%1 of %2").arg(file, ref.display()));
    FileMeta meta;
    meta.commit = QString::fromLatin1(ex.headers.value("x-repo-commit"));
    meta.etag = etagOf(ex.headers, &meta.lfs);
    bool ok = false;
    meta.size = ex.headers.value(meta.lfs ? "x-linked-size" : "content-length").toLongLong(&ok);
    if (!ok) meta.size = ex.headers.value("x-linked-size", ex.headers.value("content-length")).toLongLong(&ok);
    static const QRegularExpression safeEtag(QStringLiteral("^[A-Za-z0-9_.\\-]{1,128}$"));
    if (meta.etag.isEmpty() || !safeEtag.match(meta.etag).hasMatch() || !ok || meta.size < 0 || (!meta.commit.isEmpty() && !isCommitId(meta.commit)))
        return inputError(QStringLiteral("%1 of %2: the Hub gave no usable ETag or size; refused").arg(file, ref.display()));
    return meta;
}

Status HubClient::fetch(const RepoRef& ref, const QString& commit, const QString& file, const QString& path,
                        const std::function<void(qint64)>& received, const std::atomic<bool>* cancel) {
    int delay = m_options.backoffMs;
    for (int attempt = 1;; ++attempt) {
        QFile sink(path);
        if (!sink.open(QIODevice::ReadWrite | QIODevice::Append))
            return inputError(QStringLiteral("cannot write %1 (%2)").arg(path, sink.errorString()));
        const Exchange ex = exchange(m_env, false, resolveUrl(ref, commit, file), true, &sink, m_options.transferTimeoutMs, cancel, received);
        const qint64 have = sink.size();
        sink.close();
        if (ex.cancelled || !ex.writeError.isEmpty() || (ex.status >= 400 && ex.status != 416))
            return failure(ex, m_env, ref, QStringLiteral("%1 of %2").arg(file, ref.display()));
        // Complete when the server's length (Content-Range's total, else Content-Length) is reached.
        qint64 total = -1;
        const QByteArray range = ex.headers.value("content-range");
        if (range.contains('/')) total = range.mid(range.lastIndexOf('/') + 1).toLongLong();
        else if (ex.status == 200) total = ex.headers.value("content-length", "-1").toLongLong();
        if (ex.error == QNetworkReply::NoError && (ex.status == 200 || ex.status == 206) && (total < 0 || have >= total)) return {};
        if (ex.status == 416) return {};  // nothing left to send: the file is whole (the checksum decides)
        if (attempt >= m_options.attempts) return failure(ex, m_env, ref, QStringLiteral("%1 of %2").arg(file, ref.display()));
        QThread::msleep(ulong(delay));  // a dropped connection: wait, then resume from what arrived
        delay *= 2;
    }
}

}  // namespace attnscope::core
