// AnalysisSession: results as snapshots from the worker, debounce, cancellation, errors.
#include "session/analysis_session.h"
#include "test_paths.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace attnscope::ui;

class TestSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void analysesOnTheWorker();
    void typingIsDebounced();
    void errorsAreReportedAndOldResultKept();
    void badModelKeepsThePreviousOne();
    void openModelInTheBackground();

private:
    LoadedModelPtr m_model;
};

void TestSession::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY2(model, qPrintable(model.message()));
    m_model = std::make_shared<const attnscope::core::LoadedModel>(std::move(model).value());
}

void TestSession::analysesOnTheWorker() {
    AnalysisSession session;
    session.setModel(m_model);
    QSignalSpy ready(&session, &AnalysisSession::resultReady);
    session.analyzeNow(QStringLiteral("the cat sat ."));
    QVERIFY(ready.wait(5000));
    const auto result = ready.takeFirst().at(0).value<AnalysisResultPtr>();
    QVERIFY(result && result->trace);
    QCOMPARE(result->encoding.size(), 6);  // [CLS] the [UNK] [UNK] . [SEP]: cat and sat are not in the tiny vocabulary
    QCOMPARE(result->trace->tokens(), 6);
    QCOMPARE(result->labels.first(), QStringLiteral("[CLS]"));
    QVERIFY(!session.busy());
}

void TestSession::typingIsDebounced() {
    AnalysisSession session;
    session.setModel(m_model);
    QSignalSpy ready(&session, &AnalysisSession::resultReady);
    const QString sentence = QStringLiteral("the road was wide .");
    for (int i = 1; i <= sentence.size(); ++i) session.setText(sentence.left(i));  // one keystroke each
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().at(0).value<AnalysisResultPtr>()->text == sentence, 5000);
    QTest::qWait(AnalysisSession::kDefaultDebounceMs * 2);
    // The first keystroke runs at once, the burst ends with one run of the final text; the
    // keystrokes in between were never analysed.
    QVERIFY2(ready.count() <= 2, qPrintable(QString::number(ready.count())));
    QCOMPARE(ready.last().at(0).value<AnalysisResultPtr>()->text, sentence);
}

void TestSession::errorsAreReportedAndOldResultKept() {
    AnalysisSession session;
    session.setModel(m_model);
    session.setTruncate(false);
    QSignalSpy ready(&session, &AnalysisSession::resultReady);
    QSignalSpy failed(&session, &AnalysisSession::analysisFailed);
    session.analyzeNow(QStringLiteral("the road"));
    QVERIFY(ready.wait(5000));
    session.analyzeNow(QStringLiteral("the road ").repeated(40));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("at most 64")));
    QCOMPARE(session.result()->text, QStringLiteral("the road"));
}

void TestSession::badModelKeepsThePreviousOne() {
    AnalysisSession session;
    session.setModel(m_model);
    QSignalSpy failed(&session, &AnalysisSession::modelFailed);
    session.openModel(QStringLiteral("/nonexistent/folder"));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no such folder")));
    QCOMPARE(session.model(), m_model);
}

void TestSession::openModelInTheBackground() {
    AnalysisSession session;
    QSignalSpy changed(&session, &AnalysisSession::modelChanged);
    QSignalSpy ready(&session, &AnalysisSession::resultReady);
    session.setText(QStringLiteral("the animal"));
    session.openModel(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    QVERIFY(changed.wait(5000));
    QCOMPARE(session.model()->config().modelType, QStringLiteral("gpt2"));
    QVERIFY(ready.wait(5000));  // the pending text is analysed with the new model
    QVERIFY(ready.at(0).at(0).value<AnalysisResultPtr>()->causal);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
