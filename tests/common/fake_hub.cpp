#include "fake_hub.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace attnscope::test {

FakeHub::FakeHub() {
    serve(&m_endpoint, false);
    serve(&m_cdn, true);
}

bool FakeHub::listen() {
    return m_endpoint.listen(QHostAddress(QStringLiteral("127.0.0.1"))) && m_cdn.listen(QHostAddress(QStringLiteral("127.0.0.2")));
}

QString FakeHub::endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_endpoint.serverPort()); }

QByteArray FakeHub::bertFile(const QString& name) {
    QFile f(QStringLiteral(ATTNSCOPE_FIXTURES "/models/bert/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

FakeHub::Repo FakeHub::bertRepo(const QString& commit, const QMap<QString, QByteArray>& extra) {
    Repo r;
    r.commit = commit;
    for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json"}) r.files[QString::fromLatin1(f)] = {bertFile(QString::fromLatin1(f)), false};
    r.files[QStringLiteral("model.safetensors")] = {bertFile(QStringLiteral("model.safetensors")), true};
    for (auto it = extra.begin(); it != extra.end(); ++it) r.files[it.key()] = {it.value(), false};
    return r;
}

QString FakeHub::gitSha1(const QByteArray& content) {
    return QString::fromLatin1(
        QCryptographicHash::hash("blob " + QByteArray::number(content.size()) + '\0' + content, QCryptographicHash::Sha1).toHex());
}

QString FakeHub::sha256(const QByteArray& content) {
    return QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

void FakeHub::serve(QTcpServer* server, bool cdn) {
    connect(server, &QTcpServer::newConnection, this, [this, server, cdn] {
        while (QTcpSocket* socket = server->nextPendingConnection()) {
            auto* buffer = new QByteArray;
            connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer] {
                delete buffer;
                socket->deleteLater();
            });
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, cdn] {
                *buffer += socket->readAll();
                const int end = buffer->indexOf("\r\n\r\n");
                if (end < 0) return;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                buffer->clear();
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                Request r;
                r.host = cdn ? QStringLiteral("cdn") : QStringLiteral("endpoint");
                r.method = first.value(0);
                r.path = first.value(1);
                for (int i = 1; i < lines.size(); ++i) {
                    const int colon = lines[i].indexOf(':');
                    if (colon > 0) r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
                }
                requests << r;
                answer(socket, r, cdn);
            });
        }
    });
}

void FakeHub::respond(QTcpSocket* socket, int status, const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body, bool head) {
    const QByteArray reason = status == 200 ? "OK" : status == 206 ? "Partial Content" : status == 302 ? "Found" : status == 401 ? "Unauthorized" : "Not Found";
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    bool length = false;
    for (const auto& [name, value] : headers) {
        out += name + ": " + value + "\r\n";
        length = length || name.toLower() == "content-length";
    }
    if (!length) out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (!head) out += body;
    socket->write(out);
    socket->disconnectFromHost();
}

const FakeHub::File* FakeHub::lfsBlob(const QString& sha, QString* name) const {
    for (const Repo& repo : repos)
        for (auto it = repo.files.begin(); it != repo.files.end(); ++it)
            if (it->lfs && sha256(it->content) == sha) {
                *name = it.key();
                return &it.value();
            }
    return nullptr;
}

void FakeHub::answer(QTcpSocket* socket, const Request& r, bool cdn) {
    const bool head = r.method == "HEAD";
    const QString path = QString::fromUtf8(r.path);
    if (cdn) {  // GET /blobs/{sha256}, with Range
        QString name;
        const File* f = lfsBlob(path.section(QLatin1Char('/'), -1), &name);
        if (!f) return respond(socket, 404, {}, "no such blob");
        QByteArray content = f->content;
        if (corrupt.contains(name)) content[0] = char(content[0] ^ 0x5a);
        qint64 from = 0;
        const QByteArray range = r.headers.value("range");
        if (range.startsWith("bytes=")) from = range.mid(6, range.indexOf('-') - 6).toLongLong();
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Length", QByteArray::number(content.size() - from)}};
        if (from > 0) headers << qMakePair(QByteArray("Content-Range"), "bytes " + QByteArray::number(from) + '-' + QByteArray::number(content.size() - 1) + '/' + QByteArray::number(content.size()));
        const QByteArray body = content.mid(from);
        const int status = from > 0 ? 206 : 200;
        if (cutAfter.contains(name)) {  // the headers promise everything; the connection dies half-way
            const qint64 keep = cutAfter.take(name);
            QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " OK\r\n";
            for (const auto& [n, v] : headers) out += n + ": " + v + "\r\n";
            socket->write(out + "Connection: close\r\n\r\n" + body.left(keep));
            socket->flush();
            QTimer::singleShot(50, socket, [socket] { socket->abort(); });
            return;
        }
        if (slowBytesPerTick > 0) {  // trickle the body
            QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " OK\r\n";
            for (const auto& [n, v] : headers) out += n + ": " + v + "\r\n";
            socket->write(out + "Connection: close\r\n\r\n");
            auto* timer = new QTimer(socket);
            auto sent = std::make_shared<qint64>(0);
            connect(timer, &QTimer::timeout, socket, [this, socket, body, sent, timer] {
                if (socket->state() != QAbstractSocket::ConnectedState) return timer->stop();
                socket->write(body.mid(*sent, slowBytesPerTick));
                *sent += slowBytesPerTick;
                if (*sent >= body.size()) {
                    timer->stop();
                    socket->disconnectFromHost();
                }
            });
            timer->start(20);
            return;
        }
        return respond(socket, status, headers, body);
    }
    const bool listing = path.startsWith(QLatin1String("/api/models/"));
    const int marker = listing ? path.indexOf(QLatin1String("/revision/")) : path.indexOf(QLatin1String("/resolve/"));
    if (marker < 0) return respond(socket, 404, {}, "unknown route");
    const QString repoName = path.mid(listing ? 12 : 1, marker - (listing ? 12 : 1));
    const QString rest = path.mid(marker + (listing ? 10 : 9));
    const QString revision = QUrl::fromPercentEncoding(rest.section(QLatin1Char('/'), 0, 0).toUtf8());
    const QString file = QUrl::fromPercentEncoding(rest.section(QLatin1Char('/'), 1).toUtf8());
    if (!repos.contains(repoName)) return respond(socket, 404, {{"X-Error-Code", "RepoNotFound"}}, "Repository not found", head);
    const Repo& repo = repos[repoName];
    if (repo.gated && r.headers.value("authorization") != "Bearer hf_test_token")
        return respond(socket, 401, {{"X-Error-Code", "GatedRepo"}}, "Access to this model is restricted", head);
    if (revision != repo.commit && !repo.branches.contains(revision))
        return respond(socket, 404, {{"X-Error-Code", "RevisionNotFound"}}, "Revision not found", head);
    if (listing) {
        QJsonArray siblings;
        for (auto it = repo.files.begin(); it != repo.files.end(); ++it) siblings.append(QJsonObject{{"rfilename", it.key()}});
        return respond(socket, 200, {{"Content-Type", "application/json"}},
                       QJsonDocument(QJsonObject{{"id", repoName}, {"sha", repo.commit}, {"siblings", siblings}}).toJson(QJsonDocument::Compact));
    }
    if (!repo.files.contains(file)) return respond(socket, 404, {{"X-Error-Code", "EntryNotFound"}}, "Entry not found", head);
    const File& f = repo.files[file];
    const QByteArray commit = repo.commit.toLatin1();
    if (f.lfs) {
        const QByteArray sha = sha256(f.content).toLatin1();
        return respond(socket, 302,
                       {{"Location", QStringLiteral("http://127.0.0.2:%1/blobs/%2").arg(m_cdn.serverPort()).arg(QString::fromLatin1(sha)).toUtf8()},
                        {"X-Repo-Commit", commit},
                        {"X-Linked-Etag", '"' + sha + '"'},
                        {"X-Linked-Size", QByteArray::number(f.content.size())},
                        {"ETag", "\"" + gitSha1(sha).toLatin1() + "\""}},
                       QByteArray(), head);
    }
    respond(socket, 200, {{"X-Repo-Commit", commit}, {"ETag", '"' + gitSha1(f.content).toLatin1() + '"'}, {"Content-Length", QByteArray::number(f.content.size())}},
            f.content, head);
}

}  // namespace attnscope::test
