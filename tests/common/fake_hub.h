#pragma once

// A stand-in for the Hugging Face Hub on 127.0.0.1, for the tests: it answers the revision listing
// and resolve URLs as the Hub does (X-Repo-Commit, ETag, X-Linked-Etag, X-Linked-Size), sends LFS
// files with a 302 to a second host, 127.0.0.2, playing the CDN, and can refuse without a token,
// cut a connection half-way, send slowly or corrupt a file. HTTP/1.1, one request per connection.
#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>

class QTcpSocket;

namespace attnscope::test {

class FakeHub : public QObject {
    Q_OBJECT

public:
    struct File {
        QByteArray content;
        bool lfs = false;  // sent through the CDN, identified by its sha256
    };
    struct Repo {
        QString commit;                  // 40 hex digits
        QMap<QString, File> files;
        QStringList branches{"main"};    // revisions that resolve to the commit
        bool gated = false;              // 401 without the token "hf_test_token"
    };
    struct Request {
        QString host;  // "endpoint" or "cdn"
        QByteArray method, path;
        QHash<QByteArray, QByteArray> headers;  // names in lower case
    };

    FakeHub();
    bool listen();  // both servers on free ports
    QString endpoint() const;

    QMap<QString, Repo> repos;
    // Faults: the next GET of an LFS file (by name) on the CDN stops after this many bytes (once).
    QHash<QString, qint64> cutAfter;
    QStringList corrupt;      // LFS files whose bytes are changed in transit
    int slowBytesPerTick = 0;  // > 0: the CDN sends this many bytes every 20 ms
    QList<Request> requests;  // everything asked, in order

    // The tests/fixtures/models/bert folder as a repository at `commit`: its small files in git, the
    // weights in LFS (extra: more small files, e.g. a README it does not need).
    static Repo bertRepo(const QString& commit, const QMap<QString, QByteArray>& extra = {});
    static QByteArray bertFile(const QString& name);

    static QString gitSha1(const QByteArray& content);
    static QString sha256(const QByteArray& content);

private:
    void serve(QTcpServer* server, bool cdn);
    void answer(QTcpSocket* socket, const Request& r, bool cdn);
    void respond(QTcpSocket* socket, int status, const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body,
                 bool head = false);
    const File* lfsBlob(const QString& sha, QString* name) const;

    QTcpServer m_endpoint, m_cdn;
};

}  // namespace attnscope::test
