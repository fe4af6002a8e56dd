// Models by Hub id against a stand-in Hub on 127.0.0.1 (tests/common/fake_hub.h): the cache laid
// out as huggingface_hub lays it out, file by file; the token never sent to the CDN; refusals
// (gated, missing, pickle only, bad checksum) as one clear message; a cut connection resumed with a
// Range request; cancel; and a cache made by hand as Python leaves it, opened offline with no request.
#include "fake_hub.h"
#include "hub/model_source.h"
#include "model/model_loader.h"
#include "test_paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTest>
#include <QElapsedTimer>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <thread>
#include <unistd.h>

using namespace attnscope::core;
using attnscope::test::FakeHub;

namespace {

const QString kCommit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");

QByteArray fixtureFile(const QString& model, const QString& file) {
    QFile f(attnscope::test::modelFixture(model) + QLatin1Char('/') + file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The bert fixture as a Hub repository, with a README AttnScope does not fetch.
FakeHub::Repo bertRepo() { return FakeHub::bertRepo(kCommit, {{QStringLiteral("README.md"), "# not needed"}}); }

// A symlink's own text (readlink), not its resolved target.
QString linkText(const QString& path) {
    char buffer[4096];
    const ssize_t n = readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
    return n > 0 ? QFile::decodeName(QByteArray(buffer, int(n))) : QString();
}

}  // namespace

class TestHub : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void repoIds_data();
    void repoIds();
    void environmentFromVariables();
    void downloadLaysOutTheCacheAsPython();
    void tokenOnlyToTheEndpoint();
    void refusals_data();
    void refusals();
    void resumesACutConnection();
    void badChecksumLeavesNothing();
    void cancelsASlowDownload();
    void shardedWeights();
    void waitsForAnotherWritersLock();
    void handMadeCacheOpensOfflineWithoutARequest();

private:
    HubEnvironment environment() const;
    HubClient::Options quick() const { return {3, 20, 3000}; }

    std::unique_ptr<FakeHub> m_hub;
    std::unique_ptr<QTemporaryDir> m_cache;
};

void TestHub::init() {
    m_hub = std::make_unique<FakeHub>();
    QVERIFY(m_hub->listen());
    m_cache = std::make_unique<QTemporaryDir>();
}

HubEnvironment TestHub::environment() const {
    HubEnvironment env;
    env.endpoint = m_hub->endpoint();
    env.cacheDir = m_cache->path() + QStringLiteral("/hub");
    return env;
}

void TestHub::repoIds_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("repo");      // empty: refused
    QTest::addColumn<QString>("revision");
    QTest::newRow("org/name") << "Qwen/Qwen3-0.6B" << "Qwen/Qwen3-0.6B" << "main";
    QTest::newRow("name") << "gpt2" << "gpt2" << "main";
    QTest::newRow("@revision") << "google/vit-base-patch16-224@refs/pr/3" << "google/vit-base-patch16-224" << "refs/pr/3";
    QTest::newRow("@commit") << QStringLiteral("bert-base-uncased@") + kCommit << "bert-base-uncased" << kCommit;
    QTest::newRow("two slashes") << "a/b/c" << "" << "";
    QTest::newRow("..") << "../etc" << "" << "";
    QTest::newRow("--") << "org--x/name" << "" << "";
    QTest::newRow("leading dash") << "-rf" << "" << "";
    QTest::newRow("space") << "my model" << "" << "";
    QTest::newRow(".git") << "org/name.git" << "" << "";
    QTest::newRow("97 characters") << QString(97, QLatin1Char('a')) << "" << "";
    QTest::newRow("revision ..") << "gpt2@../../x" << "" << "";
    QTest::newRow("revision leading dash") << "gpt2@-x" << "" << "";
    QTest::newRow("empty") << "" << "" << "";
}

void TestHub::repoIds() {
    QFETCH(QString, text);
    QFETCH(QString, repo);
    QFETCH(QString, revision);
    auto ref = parseRepoRef(text);
    QCOMPARE(bool(ref), !repo.isEmpty());
    if (!ref) return;
    QCOMPARE(ref->repo, repo);
    QCOMPARE(ref->revision, revision);
    QVERIFY(isSafeRepoFileName(QStringLiteral("onnx/model.onnx")));
    for (const char* bad : {"../x", "/etc/passwd", "a//b", "-x", "a\\b", "a/./b", ""}) QVERIFY2(!isSafeRepoFileName(QString::fromLatin1(bad)), bad);
}

void TestHub::environmentFromVariables() {
    QTemporaryDir home;
    QFile token(home.filePath(QStringLiteral("token")));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("hf_from_file\n");
    token.close();
    qputenv("HF_HOME", home.path().toUtf8());
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("HF_TOKEN");
    qputenv("HF_ENDPOINT", "http://127.0.0.1:9/");
    qputenv("HF_HUB_OFFLINE", "True");
    HubEnvironment env = HubEnvironment::fromSystem();
    QCOMPARE(env.cacheDir, home.path() + QStringLiteral("/hub"));
    QCOMPARE(env.token, QStringLiteral("hf_from_file"));
    QCOMPARE(env.endpoint, QStringLiteral("http://127.0.0.1:9"));
    QCOMPARE(env.endpointHost(), QStringLiteral("127.0.0.1"));
    QVERIFY(env.offline);
    qputenv("HF_HUB_CACHE", "/elsewhere");
    qputenv("HF_TOKEN", "hf_from_variable");
    qputenv("HF_HUB_OFFLINE", "0");
    env = HubEnvironment::fromSystem();
    QCOMPARE(env.cacheDir, QStringLiteral("/elsewhere"));
    QCOMPARE(env.token, QStringLiteral("hf_from_variable"));
    QVERIFY(!env.offline);
    qunsetenv("HF_HOME");
    qunsetenv("HF_HUB_CACHE");
    qputenv("XDG_CACHE_HOME", "/xdg");
    QCOMPARE(HubEnvironment::fromSystem().cacheDir, QStringLiteral("/xdg/huggingface/hub"));
    for (const char* v : {"HF_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE", "XDG_CACHE_HOME"}) qunsetenv(v);
}

void TestHub::downloadLaysOutTheCacheAsPython() {
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = bertRepo();
    auto source = resolveModelSource(QStringLiteral("test-org/tiny-bert"), environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
    const QString repo = m_cache->path() + QStringLiteral("/hub/models--test-org--tiny-bert");
    QCOMPARE(source->folder, repo + QStringLiteral("/snapshots/") + kCommit);
    QFile ref(repo + QStringLiteral("/refs/main"));
    QVERIFY(ref.open(QIODevice::ReadOnly));
    QCOMPARE(ref.readAll(), kCommit.toLatin1());  // the sha, no newline
    const FakeHub::Repo& r = m_hub->repos[QStringLiteral("test-org/tiny-bert")];
    QStringList blobs;
    for (const char* name : {"config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"}) {
        const FakeHub::File& f = r.files[QString::fromLatin1(name)];
        const QString etag = f.lfs ? FakeHub::sha256(f.content) : FakeHub::gitSha1(f.content);
        blobs << etag;
        const QFileInfo link(source->folder + QLatin1Char('/') + QString::fromLatin1(name));
        QVERIFY2(link.isSymLink(), name);
        QCOMPARE(QFile::symLinkTarget(link.filePath()), QFileInfo(repo + QStringLiteral("/blobs/") + etag).absoluteFilePath());
        QCOMPARE(linkText(link.filePath()), QStringLiteral("../../blobs/") + etag);  // relative, as Python makes it
        QFile blob(repo + QStringLiteral("/blobs/") + etag);
        QVERIFY(blob.open(QIODevice::ReadOnly));
        QCOMPARE(blob.readAll(), f.content);
    }
    blobs.sort();
    QStringList present = QDir(repo + QStringLiteral("/blobs")).entryList(QDir::Files);
    present.sort();
    QCOMPARE(present, blobs);  // no .incomplete left, and README.md not fetched
    QVERIFY(!QFileInfo::exists(source->folder + QStringLiteral("/README.md")));
    auto model = loadModelFolder(source->folder);
    QVERIFY2(model, qPrintable(model ? QString() : model.message()));
    // Again: from the cache, not one request.
    const int asked = int(m_hub->requests.size());
    auto again = resolveModelSource(QStringLiteral("test-org/tiny-bert"), environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY(again);
    QCOMPARE(int(m_hub->requests.size()), asked);
}

void TestHub::tokenOnlyToTheEndpoint() {
    FakeHub::Repo r = bertRepo();
    r.gated = true;
    m_hub->repos[QStringLiteral("gated/bert")] = r;
    HubEnvironment env = environment();
    env.token = QStringLiteral("hf_test_token");
    auto source = resolveModelSource(QStringLiteral("gated/bert"), env, {true, {}, {}, nullptr, quick()});
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
    int cdn = 0;
    for (const FakeHub::Request& q : m_hub->requests) {
        if (q.host == QLatin1String("cdn")) {
            ++cdn;
            QVERIFY2(!q.headers.contains("authorization"), "the token went to the CDN");
        } else {
            QCOMPARE(q.headers.value("authorization"), QByteArray("Bearer hf_test_token"));
        }
    }
    QVERIFY(cdn >= 1);
}

void TestHub::refusals_data() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("message");
    QTest::newRow("gated, no token") << "gated/bert" << "gated/bert: the Hub refused access (401): the model is gated or private, or does not exist, and no token was given";
    QTest::newRow("no such model") << "nobody/nothing" << "model nobody/nothing: not found on http://127.0.0.1";
    QTest::newRow("no such revision") << "test-org/tiny-bert@v9" << "test-org/tiny-bert: no revision 'v9' on http://127.0.0.1";
    QTest::newRow("pickle only") << "old/pickled" << "old/pickled has only pickle checkpoints (pytorch_model.bin): AttnScope does not load pickle";
    QTest::newRow("not an id") << "no such/folder" << "'no such/folder' is neither a folder nor a Hugging Face model id";
}

void TestHub::refusals() {
    QFETCH(QString, id);
    QFETCH(QString, message);
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = bertRepo();
    FakeHub::Repo gated = bertRepo();
    gated.gated = true;
    m_hub->repos[QStringLiteral("gated/bert")] = gated;
    FakeHub::Repo pickled;
    pickled.commit = kCommit;
    pickled.files[QStringLiteral("config.json")] = {"{}", false};
    pickled.files[QStringLiteral("pytorch_model.bin")] = {"PK...", true};
    m_hub->repos[QStringLiteral("old/pickled")] = pickled;
    auto source = resolveModelSource(id, environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY(!source);
    QVERIFY2(source.message().startsWith(message) || source.message().contains(message), qPrintable(source.message()));
    QVERIFY(!source.message().contains(QStringLiteral("hf_")));  // no token in messages
    QVERIFY(!QFileInfo::exists(m_cache->path() + QStringLiteral("/hub/models--") + QString(id).replace(QLatin1Char('/'), QStringLiteral("--")) + QStringLiteral("/snapshots")));
}

void TestHub::resumesACutConnection() {
    FakeHub::Repo r = bertRepo();
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = r;
    const qint64 size = r.files[QStringLiteral("model.safetensors")].content.size();
    m_hub->cutAfter[QStringLiteral("model.safetensors")] = size / 2;
    auto source = resolveModelSource(QStringLiteral("test-org/tiny-bert"), environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
    QByteArray resumedFrom;
    for (const FakeHub::Request& q : m_hub->requests)
        if (q.host == QLatin1String("cdn") && q.headers.contains("range")) resumedFrom = q.headers.value("range");
    QCOMPARE(resumedFrom, "bytes=" + QByteArray::number(size / 2) + '-');
    QVERIFY(loadModelFolder(source->folder));
}

void TestHub::badChecksumLeavesNothing() {
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = bertRepo();
    m_hub->corrupt << QStringLiteral("model.safetensors");
    auto source = resolveModelSource(QStringLiteral("test-org/tiny-bert"), environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY(!source);
    QVERIFY2(source.message().startsWith(QStringLiteral("model.safetensors: checksum mismatch (expected sha256 ")), qPrintable(source.message()));
    const QString repo = m_cache->path() + QStringLiteral("/hub/models--test-org--tiny-bert");
    QVERIFY(!QFileInfo::exists(repo + QStringLiteral("/snapshots")));
    QVERIFY(!QFileInfo::exists(repo + QStringLiteral("/refs/main")));
    for (const QString& blob : QDir(repo + QStringLiteral("/blobs")).entryList(QDir::Files))
        QVERIFY2(!blob.endsWith(QLatin1String(".incomplete")) && blob != FakeHub::sha256(m_hub->repos.first().files[QStringLiteral("model.safetensors")].content), qPrintable(blob));
}

void TestHub::cancelsASlowDownload() {
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = bertRepo();
    m_hub->slowBytesPerTick = 512;
    std::atomic<bool> cancel{false};
    QTimer::singleShot(400, [&] { cancel = true; });
    qint64 seen = 0;
    ModelSourceOptions o{true, {}, [&](const DownloadProgress& p) { seen = p.done; }, &cancel, quick()};
    QElapsedTimer clock;
    clock.start();
    auto source = resolveModelSource(QStringLiteral("test-org/tiny-bert"), environment(), o);
    QVERIFY(!source);
    QCOMPARE(source.message(), QStringLiteral("cancelled"));
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(seen > 0);  // progress came while it trickled
    QVERIFY(!QFileInfo::exists(m_cache->path() + QStringLiteral("/hub/models--test-org--tiny-bert/snapshots")));
}

void TestHub::shardedWeights() {
    FakeHub::Repo r;
    r.commit = kCommit;
    for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors.index.json"})
        r.files[QString::fromLatin1(f)] = {fixtureFile(QStringLiteral("bert-bf16-sharded"), QString::fromLatin1(f)), false};
    for (const char* f : {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"})
        r.files[QString::fromLatin1(f)] = {fixtureFile(QStringLiteral("bert-bf16-sharded"), QString::fromLatin1(f)), true};
    m_hub->repos[QStringLiteral("test-org/sharded")] = r;
    qint64 planned = -1;
    ModelSourceOptions o{true, [&](const HubPlan& p) { planned = p.bytesToFetch(); }, {}, nullptr, quick()};
    auto source = resolveModelSource(QStringLiteral("test-org/sharded"), environment(), o);
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
    QCOMPARE(planned, r.files[QStringLiteral("model-00001-of-00002.safetensors")].content.size() +
                          r.files[QStringLiteral("model-00002-of-00002.safetensors")].content.size() + r.files[QStringLiteral("config.json")].content.size() +
                          r.files[QStringLiteral("vocab.txt")].content.size() + r.files[QStringLiteral("tokenizer_config.json")].content.size());
    QVERIFY(loadModelFolder(source->folder));
}

// Another process writing the same blob holds its lock: the download waits (here until cancelled),
// then, the lock released, completes.
void TestHub::waitsForAnotherWritersLock() {
    m_hub->repos[QStringLiteral("test-org/tiny-bert")] = bertRepo();
    const QByteArray weights = m_hub->repos.first().files[QStringLiteral("model.safetensors")].content;
    const HubCache cache(environment().cacheDir);
    const RepoRef ref{QStringLiteral("test-org/tiny-bert"), QStringLiteral("main")};
    QDir().mkpath(QFileInfo(cache.lockPath(ref, FakeHub::sha256(weights))).path());
    QLockFile other(cache.lockPath(ref, FakeHub::sha256(weights)));
    QVERIFY(other.tryLock(0));
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {  // another thread, as the GUI's Cancel: the lock wait runs no event loop
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        cancel = true;
    });
    auto blocked = resolveModelSource(ref.repo, environment(), {true, {}, {}, &cancel, quick()});
    canceller.join();
    QVERIFY(!blocked);
    QCOMPARE(blocked.message(), QStringLiteral("cancelled"));
    QVERIFY(!QFileInfo::exists(cache.blobPath(ref, FakeHub::sha256(weights))));
    other.unlock();
    auto source = resolveModelSource(ref.repo, environment(), {true, {}, {}, nullptr, quick()});
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
}

// A cache made by hand exactly as huggingface_hub leaves it opens with HF_HUB_OFFLINE and no request.
void TestHub::handMadeCacheOpensOfflineWithoutARequest() {
    const QString repo = m_cache->path() + QStringLiteral("/hub/models--someone--bert");
    QDir().mkpath(repo + QStringLiteral("/refs"));
    QDir().mkpath(repo + QStringLiteral("/blobs"));
    QDir().mkpath(repo + QStringLiteral("/snapshots/") + kCommit);
    QFile ref(repo + QStringLiteral("/refs/main"));
    QVERIFY(ref.open(QIODevice::WriteOnly));
    ref.write(kCommit.toLatin1());
    ref.close();
    for (const char* f : {"config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"}) {
        const QByteArray content = fixtureFile(QStringLiteral("bert"), QString::fromLatin1(f));
        const QString etag = QString::fromLatin1(f) == QLatin1String("model.safetensors") ? FakeHub::sha256(content) : FakeHub::gitSha1(content);
        QFile blob(repo + QStringLiteral("/blobs/") + etag);
        QVERIFY(blob.open(QIODevice::WriteOnly));
        blob.write(content);
        blob.close();
        QVERIFY(QFile::link(QStringLiteral("../../blobs/") + etag, repo + QStringLiteral("/snapshots/") + kCommit + QLatin1Char('/') + QString::fromLatin1(f)));
    }
    HubEnvironment env = environment();
    env.offline = true;
    auto source = resolveModelSource(QStringLiteral("someone/bert"), env);
    QVERIFY2(source, qPrintable(source ? QString() : source.message()));
    QVERIFY(loadModelFolder(source->folder));
    auto byCommit = resolveModelSource(QStringLiteral("someone/bert@") + kCommit, env);
    QVERIFY(byCommit);
    auto missing = resolveModelSource(QStringLiteral("someone/other"), env);
    QVERIFY(!missing);
    QVERIFY2(missing.message().contains(QStringLiteral("is not in the Hugging Face cache")) && missing.message().contains(QStringLiteral("HF_HUB_OFFLINE")),
             qPrintable(missing.message()));
    QCOMPARE(m_hub->requests.size(), 0);
}

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
