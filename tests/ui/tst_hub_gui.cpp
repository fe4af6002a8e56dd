// Hub ids in the GUI, against the stand-in Hub: the dialog says what the cache holds and what a
// download would take before anything is fetched; the session downloads with progress, can be
// cancelled, and remembers the id (not the snapshot folder) for sessions and recent models.
#include "fake_hub.h"
#include "session/analysis_session.h"
#include "session/session_file.h"
#include "test_paths.h"
#include "hub/hub_download.h"
#include "widgets/download_status.h"
#include "widgets/hub_dialog.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;
using attnscope::test::FakeHub;

namespace {

const QString kCommit = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");


}  // namespace

class TestHubGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dialogSaysWhatADownloadTakes();
    void sessionDownloadsWithProgressAndKeepsTheId();
    void cancelStopsTheDownload();
    void sessionFilesKeepHubIds();

private:
    FakeHub m_hub;
    QTemporaryDir m_home;
};

void TestHubGui::initTestCase() {
    QVERIFY(m_hub.listen());
    FakeHub::Repo r = FakeHub::bertRepo(kCommit);
    m_hub.repos[QStringLiteral("test-org/tiny-bert")] = r;
    m_hub.repos[QStringLiteral("test-org/slow-bert")] = r;
    r.gated = true;
    m_hub.repos[QStringLiteral("test-org/gated")] = r;
    qputenv("HF_ENDPOINT", m_hub.endpoint().toUtf8());
    qputenv("HF_HOME", m_home.path().toUtf8());
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_HUB_OFFLINE");
    qunsetenv("HF_HUB_CACHE");
}

void TestHubGui::dialogSaysWhatADownloadTakes() {
    HubDialog dialog;
    QVERIFY(HubDialog::knownModels().size() >= 8);
    dialog.setModelId(QStringLiteral("test-org/tiny-bert"));
    const qint64 total = FakeHub::bertFile(QStringLiteral("config.json")).size() + FakeHub::bertFile(QStringLiteral("vocab.txt")).size() +
                         FakeHub::bertFile(QStringLiteral("tokenizer_config.json")).size() + FakeHub::bertFile(QStringLiteral("model.safetensors")).size();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(QStringLiteral("4 files, %1 to download").arg(attnscope::core::formatDownloadBytes(double(total)))), 10000);
    if (qEnvironmentVariableIsSet("ATTNSCOPE_SCREENSHOTS")) {  // for looking at it by hand
        dialog.show();
        QTest::qWait(200);
        dialog.grab().save(qEnvironmentVariable("ATTNSCOPE_SCREENSHOTS") + QStringLiteral("/hub_dialog.png"));
    }
    QVERIFY(m_hub.requests.size() > 0);
    dialog.setModelId(QStringLiteral("test-org/gated"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(QStringLiteral("the Hub refused access (401)")), 10000);
    dialog.setModelId(QStringLiteral("../etc/passwd"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(QStringLiteral("is neither a folder nor a Hugging Face model id")), 10000);
    QCOMPARE(attnscope::core::formatDownloadBytes(1.5e9), QStringLiteral("1.5 GB"));
    QCOMPARE(attnscope::core::formatDuration(3725), QStringLiteral("1:02:05"));
}

void TestHubGui::sessionDownloadsWithProgressAndKeepsTheId() {
    AnalysisSession session;
    DownloadStatus status(&session);
    QSignalSpy progress(&session, &AnalysisSession::modelDownloading);
    QSignalSpy changed(&session, &AnalysisSession::modelChanged);
    session.openModel(QStringLiteral("test-org/tiny-bert"));
    QVERIFY(changed.wait(20000));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(session.model()->source, QStringLiteral("test-org/tiny-bert"));
    QVERIFY(session.model()->folder.endsWith(QStringLiteral("/hub/models--test-org--tiny-bert/snapshots/") + kCommit));
    QVERIFY(status.isHidden());  // gone once the model is in
    // The dialog now finds it in the cache.
    HubDialog dialog;
    dialog.setModelId(QStringLiteral("test-org/tiny-bert"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(QStringLiteral("in the Hugging Face cache")), 10000);
}

void TestHubGui::cancelStopsTheDownload() {
    m_hub.slowBytesPerTick = 256;
    AnalysisSession session;
    DownloadStatus status(&session);
    QSignalSpy failed(&session, &AnalysisSession::modelFailed);
    session.openModel(QStringLiteral("test-org/slow-bert"));
    QTRY_VERIFY_WITH_TIMEOUT(!status.isHidden() && status.text().startsWith(QStringLiteral("Downloading test-org/slow-bert:")), 10000);
    if (qEnvironmentVariableIsSet("ATTNSCOPE_SCREENSHOTS")) {
        QTest::qWait(600);
        status.grab().save(qEnvironmentVariable("ATTNSCOPE_SCREENSHOTS") + QStringLiteral("/download_status.png"));
    }
    session.cancelDownload();
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().first().toString(), QStringLiteral("cancelled"));
    QVERIFY(status.isHidden());
    m_hub.slowBytesPerTick = 0;
}

void TestHubGui::sessionFilesKeepHubIds() {
    QTemporaryDir dir;
    SessionFile s;
    s.modelPath = QStringLiteral("test-org/tiny-bert");
    s.modelFromHub = true;
    s.text = QStringLiteral("it was tired");
    const QString path = dir.filePath(QStringLiteral("a.attnscope"));
    QVERIFY(saveSession(path, s));
    auto loaded = loadSession(path);
    QVERIFY(loaded);
    QCOMPARE(loaded->modelPath, QStringLiteral("test-org/tiny-bert"));  // not a folder beside the session
    QVERIFY(loaded->modelFromHub);
    QFile raw(path);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    QVERIFY(raw.readAll().contains("\"hub\": \"test-org/tiny-bert\""));
    s.modelFromHub = false;
    s.modelPath = QStringLiteral("models/bert");  // a relative folder is one beside the session
    QVERIFY(saveSession(path, s));
    loaded = loadSession(path);
    QVERIFY(loaded);
    QCOMPARE(loaded->modelPath, dir.filePath(QStringLiteral("models/bert")));
}

QTEST_MAIN(TestHubGui)
#include "tst_hub_gui.moc"
