// The desktop app against hostile and unlucky input (issue 10): a message in place within seconds,
// the event loop never blocked, the previous state kept, and quitting at once even mid-load.
#include "test_paths.h"
#include "util/memory_budget.h"
#include "widgets/figure_view.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <QTimer>

#include <sys/stat.h>

using namespace attnscope::ui;
using attnscope::test::copyFolder;
using attnscope::test::modelFixture;

namespace {

QString patchedConfig(const QTemporaryDir& dir, const QString& name, const QString& fixture, const QJsonObject& keys) {
    const QString folder = dir.filePath(name);
    return attnscope::test::copyWithJsonKeys(modelFixture(fixture), folder, QStringLiteral("config.json"), keys) ? folder : QString();
}

QString withFifo(const QTemporaryDir& dir, const QString& name, const QString& fixture, const QString& file) {
    const QString folder = dir.filePath(name);
    copyFolder(modelFixture(fixture), folder);
    QFile::remove(folder + QLatin1Char('/') + file);
    ::mkfifo(QFile::encodeName(folder + QLatin1Char('/') + file).constData(), 0600);
    return folder;
}

// True when the GUI thread keeps turning its event loop while `ms` pass (a blocked loop would
// fire the timer late or not at all).
bool eventLoopResponsive(int ms) {
    int ticks = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] { ++ticks; });
    timer.start(10);
    QTest::qWait(ms);
    // A GUI thread blocked on a hostile file ticks not at all; a loaded machine (a sanitizer build
    // beside a compiler) may tick a few times only.
    return ticks >= std::max(1, ms / 100);
}

}  // namespace

class TestHostileGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badModelFolders_data();
    void badModelFolders();
    void badImages_data();
    void badImages();
    void memoryBudgetIsReportedInPlace();
    void fifoSessionFile();
    void quitsAtOnceWhileLoading();
    void badImageOnTheCommandLine();

private:
    QTemporaryDir m_dir;
};

void TestHostileGui::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestHostileGui::badModelFolders_data() {
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("message");
    QTest::newRow("config.json FIFO") << withFifo(m_dir, "fifo-config", "bert", "config.json") << "config.json: is a FIFO";
    QTest::newRow("weights FIFO") << withFifo(m_dir, "fifo-weights", "bert", "model.safetensors") << "model.safetensors: is a FIFO";
    QTest::newRow("vocab FIFO") << withFifo(m_dir, "fifo-vocab", "bert", "vocab.txt") << "vocab.txt: is a FIFO";
    QTest::newRow("vit image_size 0") << patchedConfig(m_dir, "vit0", "vit", {{"image_size", 0}}) << "image_size 0 must be a positive multiple";
    QTest::newRow("vit 100000 px, patch 1") << patchedConfig(m_dir, "vit-huge", "vit", {{"image_size", 100000}, {"patch_size", 1}})
                                            << "image_size 100000 is above the limit";
    QTest::newRow("a billion layers") << patchedConfig(m_dir, "layers", "bert", {{"num_hidden_layers", 1000000000}}) << "the number of layers 1000000000";
    QTest::newRow("n_embd 1e9") << patchedConfig(m_dir, "wide", "gpt2", {{"n_embd", 1000000000}, {"n_head", 1}}) << "the hidden size 1000000000";
    QTest::newRow("relative positions") << patchedConfig(m_dir, "rel", "bert", {{"position_embedding_type", "relative_key"}})
                                        << "position_embedding_type 'relative_key' is not supported";
}

void TestHostileGui::badModelFolders() {
    QFETCH(QString, folder);
    QFETCH(QString, message);
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinModel();
    QVERIFY(ready.wait(10000));
    const auto before = w.session()->model();
    QElapsedTimer timer;
    timer.start();
    w.openModel(folder);
    QTRY_VERIFY2_WITH_TIMEOUT(w.errorText().contains(message), qPrintable(w.errorText()), 5000);
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(eventLoopResponsive(200));
    QCOMPARE(w.session()->model(), before);  // the previous model stays, and still works
    w.setText(QStringLiteral("the animal was tired because it"));
    QVERIFY(ready.wait(10000));
}

void TestHostileGui::badImages_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    const QString fifo = m_dir.filePath(QStringLiteral("fifo.png"));
    ::mkfifo(QFile::encodeName(fifo).constData(), 0600);
    QTest::newRow("FIFO") << fifo << "fifo.png: is a FIFO, not a regular file";
    QTest::newRow("folder") << m_dir.path() << "is a folder, not a regular file";
    QTest::newRow("missing") << m_dir.filePath(QStringLiteral("none.png")) << "none.png: cannot open";
    const QString dev = QStringLiteral("/dev/zero");
    QTest::newRow("/dev/zero") << dev << "zero: is a character device";
    // Files no decoder accepts.
    QImage tiny(1, 1, QImage::Format_RGB32);
    tiny.fill(Qt::red);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    tiny.save(&buffer, "PNG");
    const std::pair<const char*, QByteArray> files[] = {{"corrupt", QByteArray("\x89PNG\r\n\x1a\n" + QByteArray(64, 'x'))},
                                                        {"empty", QByteArray()},
                                                        {"text", QByteArray("hello, world")},
                                                        {"1 x 1", png}};
    const char* messages[] = {"cannot decode the image", "not an image AttnScope can read", "not an image AttnScope can read",
                              "the image is 1 x 1 pixels"};
    for (size_t i = 0; i < 4; ++i) {
        const QString path = m_dir.filePath(QStringLiteral("bad-%1.png").arg(i));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(files[i].second);
        QTest::newRow(files[i].first) << path << QString::fromLatin1(messages[i]);
    }
}

void TestHostileGui::badImages() {
    QFETCH(QString, path);
    QFETCH(QString, message);
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinImageModel();
    QVERIFY(ready.wait(10000));
    const auto before = w.session()->result();
    w.openImage(path);
    QVERIFY(eventLoopResponsive(100));  // decoding happens on the worker, never on the GUI thread
    QTRY_VERIFY2_WITH_TIMEOUT(w.errorText().contains(message), qPrintable(w.errorText()), 5000);
    QVERIFY(!ready.wait(300));
    QCOMPARE(w.session()->result(), before);  // the previous picture stays
    QCOMPARE(w.currentFigure()->result(), before);
}

// An input too large for the memory budget says so in place instead of dying in std::bad_alloc.
void TestHostileGui::memoryBudgetIsReportedInPlace() {
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinModel();
    QVERIFY(ready.wait(10000));
    attnscope::core::setMemoryBudget(64 * 1024);  // 64 KB: any trace is too large
    w.setText(QStringLiteral("the animal didn't cross the road because it was tired"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.errorText().contains(QStringLiteral("the attention trace of")), qPrintable(w.errorText()), 5000);
    QVERIFY(w.errorText().contains(QStringLiteral("more than the 66 KB AttnScope may use")));
    attnscope::core::setMemoryBudget(0);
    w.setText(QStringLiteral("the animal didn't cross the road because it was wide"));
    QVERIFY(ready.wait(10000));
}

void TestHostileGui::fifoSessionFile() {
    const QString path = m_dir.filePath(QStringLiteral("fifo.attnscope"));
    ::mkfifo(QFile::encodeName(path).constData(), 0600);
    MainWindow w;
    w.show();
    QElapsedTimer timer;
    timer.start();
    w.openSession(path);
    QVERIFY(timer.elapsed() < 2000);
    QVERIFY2(w.errorText().contains(QStringLiteral("fifo.attnscope: is a FIFO")), qPrintable(w.errorText()));
}

// Closing the window while the worker loads a model or runs an analysis returns within a second.
void TestHostileGui::quitsAtOnceWhileLoading() {
    QElapsedTimer timer;
    {
        auto w = std::make_unique<MainWindow>();
        w->show();
        w->openModel(modelFixture(QStringLiteral("bert")));
        w->openBuiltinImageModel();
        w->openModel(withFifo(m_dir, "fifo-quit", "bert", "config.json"));
        timer.start();
    }
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
}

// `attnscope --image BAD` without --model: the image's error, not a built-in example in its place.
void TestHostileGui::badImageOnTheCommandLine() {
    const QString gui = QFileInfo(attnscope::test::cliPath()).dir().filePath(QStringLiteral("attnscope"));
    if (!QFileInfo::exists(gui)) QSKIP("the attnscope binary is not built");
    const QString bad = m_dir.filePath(QStringLiteral("bad.png"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a picture");
    f.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(gui, {QStringLiteral("--image"), bad, QStringLiteral("--screenshot"), m_dir.filePath(QStringLiteral("shot.png"))});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(p.readAllStandardError().contains("bad.png: not an image AttnScope can read"), "no error for the bad image");
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("shot.png"))));
}

QTEST_MAIN(TestHostileGui)
#include "tst_hostile_gui.moc"
