// The Train view: training in the background with progress, previews, pause/resume and save.
#include "model/model_loader.h"
#include "widgets/heatmap_view.h"
#include "widgets/train_view.h"

#include <QApplication>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

class TestTrainView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void trainsPausesResumesAndSaves();
};

void TestTrainView::trainsPausesResumesAndSaves() {
    TrainView view;
    view.resize(1200, 800);
    view.show();
    TrainingSession* s = view.session();
    QSignalSpy progress(s, &TrainingSession::progress);
    QSignalSpy previews(s, &TrainingSession::preview);
    QSignalSpy paused(s, &TrainingSession::pausedChanged);
    QSignalSpy finished(s, &TrainingSession::finished);
    view.setSteps(800);
    view.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 4, 20000);
    s->pause();
    QVERIFY(paused.wait(10000));
    QVERIFY(s->isPaused());
    const int atPause = progress.count();
    QTest::qWait(300);
    QCOMPARE(progress.count(), atPause);  // nothing moves while paused
    s->resume();
    QVERIFY(finished.wait(60000));
    QCOMPARE(progress.last().at(0).toInt(), 800);
    QVERIFY(previews.count() >= 2);  // before training and as it goes
    const auto last = previews.last().at(0).value<AnalysisResultPtr>();
    QVERIFY(last->encoding.tokens.contains(QStringLiteral("animal")));
    if (!qEnvironmentVariableIsEmpty("ATTNSCOPE_SCREENSHOT_DIR"))
        view.grab().save(qEnvironmentVariable("ATTNSCOPE_SCREENSHOT_DIR") + QStringLiteral("/train-view.png"));

    QTemporaryDir dir;
    QSignalSpy saved(s, &TrainingSession::saved);
    s->save(dir.path());
    QVERIFY(saved.wait(20000));
    auto model = attnscope::core::loadModelFolder(dir.path());
    QVERIFY2(model, qPrintable(model.message()));
    QVERIFY(model->config().coreferenceHead.has_value());
}

QTEST_MAIN(TestTrainView)
#include "tst_train_view.moc"
