// `attnscope-cli download` and `--model ORG/NAME` against the stand-in Hub (tests/common/fake_hub.h):
// the snapshot folder on stdout, progress as plain lines when stderr is not a terminal, the cache
// reused without a request, and every refusal one line on stderr with exit 2.
#include "fake_hub.h"
#include "cli_runner.h"
#include "test_paths.h"

#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using attnscope::test::FakeHub;

namespace {

const QString kCommit = QStringLiteral("89abcdef0123456789abcdef0123456789abcdef");


struct Run {
    int status = -1;
    QByteArray out, err;
};

// The CLI in a child process while this process's event loop keeps the stand-in Hub answering.
// fileSizeLimit > 0: every file the child writes fails past that many bytes, as on a full disk.
Run runServed(const QStringList& args, const QHash<QString, QString>& env, qint64 fileSizeLimit = 0) {
    QProcess p;
    if (fileSizeLimit > 0) attnscope::test::limitChildFileSize(p, fileSizeLimit);
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"HF_TOKEN", "HF_HUB_OFFLINE", "HF_HOME"}) e.remove(QString::fromLatin1(v));
    for (auto it = env.begin(); it != env.end(); ++it) e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    p.start(attnscope::test::cliPath(), args);
    loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, "timed out"};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

}  // namespace

class TestCliHub : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void downloadsThenReuses();
    void modelByIdInEveryCommand();
    void refused_data();
    void refused();

private:
    FakeHub m_hub;
    QTemporaryDir m_home;
    QHash<QString, QString> m_env;
};

void TestCliHub::initTestCase() {
    QVERIFY(m_hub.listen());
    FakeHub::Repo r = FakeHub::bertRepo(kCommit);
    m_hub.repos[QStringLiteral("test-org/tiny-bert")] = r;
    r.gated = true;
    m_hub.repos[QStringLiteral("test-org/gated")] = r;
    m_env = {{QStringLiteral("HF_ENDPOINT"), m_hub.endpoint()}, {QStringLiteral("HF_HOME"), m_home.path()}};
}

void TestCliHub::downloadsThenReuses() {
    const Run first = runServed({QStringLiteral("download"), QStringLiteral("test-org/tiny-bert")}, m_env);
    QVERIFY2(first.status == 0, first.err.constData());
    const QString folder = m_home.path() + QStringLiteral("/hub/models--test-org--tiny-bert/snapshots/") + kCommit;
    QCOMPARE(QString::fromUtf8(first.out).trimmed(), folder);
    QVERIFY2(first.err.contains("test-org/tiny-bert at 89abcdef01: 4 files,") && first.err.contains("to download"), first.err.constData());
    QVERIFY2(first.err.contains("100%") && first.err.contains("complete: "), first.err.constData());
    QVERIFY(!first.err.contains('\r'));  // not a terminal: plain lines
    const int asked = int(m_hub.requests.size());
    const Run again = runServed({QStringLiteral("download"), QStringLiteral("test-org/tiny-bert")}, m_env);
    QCOMPARE(again.status, 0);
    QVERIFY(again.err.contains("already in the cache"));
    QCOMPARE(int(m_hub.requests.size()), asked);
}

void TestCliHub::modelByIdInEveryCommand() {
    for (const QStringList& args : {QStringList{"attention", "--model", "test-org/tiny-bert", "--text", "it was tired"},
                                    QStringList{"tokenize", "--model", "test-org/tiny-bert", "--text", "it was tired"},
                                    QStringList{"predict", "--model", "test-org/tiny-bert@main", "--text", "it was [MASK]"}}) {
        const Run r = runServed(args, m_env);
        QVERIFY2(r.status == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.err)));
        QVERIFY(r.out.startsWith('{'));
    }
    QHash<QString, QString> offline = m_env;
    offline.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
    const int asked = int(m_hub.requests.size());
    const Run r = runServed({QStringLiteral("attention"), QStringLiteral("--model"), QStringLiteral("test-org/tiny-bert"), QStringLiteral("--text"), QStringLiteral("it")}, offline);
    QCOMPARE(r.status, 0);
    QCOMPARE(int(m_hub.requests.size()), asked);
}

void TestCliHub::refused_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("env");  // "offline", "token", "unreachable" or ""
    QTest::addColumn<QString>("message");
    QTest::newRow("no such model") << QStringList{"download", "nobody/nothing"} << "" << "model nobody/nothing: not found on http://127.0.0.1";
    QTest::newRow("gated, no token") << QStringList{"download", "test-org/gated"} << "" << "test-org/gated: the Hub refused access (401)";
    QTest::newRow("gated, wrong token") << QStringList{"download", "test-org/gated"} << "token" << "and the token given has no access to it";
    QTest::newRow("offline, not cached") << QStringList{"download", "other/model"} << "offline" << "other/model is not in the Hugging Face cache";
    QTest::newRow("bad id") << QStringList{"download", "../../etc"} << "" << "'../../etc' is neither a folder nor a Hugging Face model id";
    QTest::newRow("two revisions") << QStringList{"download", "a/b@x", "--revision", "y"} << "" << "give the revision with '@' or --revision, not both";
    QTest::newRow("no id") << QStringList{"download"} << "" << "give one model id";
    QTest::newRow("unreachable") << QStringList{"download", "some/model"} << "unreachable" << "cannot reach 127.0.0.1";
    QTest::newRow("disk full") << QStringList{"download", "test-org/tiny-bert"} << "full" << "of test-org/tiny-bert into the cache (";
    QTest::newRow("--model: no such folder") << QStringList{"attention", "--model", "./not/here", "--text", "it"} << "" << "./not/here: no such folder";
}

void TestCliHub::refused() {
    QFETCH(QStringList, args);
    QFETCH(QString, env);
    QFETCH(QString, message);
    QHash<QString, QString> e = m_env;
    e.insert(QStringLiteral("HF_HOME"), m_home.path() + QStringLiteral("/refusals"));
    if (env == QLatin1String("offline")) e.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
    if (env == QLatin1String("token")) e.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("hf_wrong_secret"));
    if (env == QLatin1String("unreachable")) e.insert(QStringLiteral("HF_ENDPOINT"), QStringLiteral("http://127.0.0.1:9"));
    const Run r = runServed(args, e, env == QLatin1String("full") ? 20000 : 0);
    QCOMPARE(r.status, 2);
    // One line says what went wrong, the last; only a download that started has progress lines before it.
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    QVERIFY2(lines.last().contains(message.toUtf8()), r.err.constData());
    if (env != QLatin1String("full")) QCOMPARE(lines.size(), 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY(!r.err.contains("hf_wrong_secret"));
}

QTEST_GUILESS_MAIN(TestCliHub)
#include "tst_cli_hub.moc"
