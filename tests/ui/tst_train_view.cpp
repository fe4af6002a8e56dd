// The Train view: training in the background with progress, previews, pause/resume and save.
#include "model/model_loader.h"
#include "widgets/heatmap_view.h"
#include "widgets/train_view.h"

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

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
    view.setSteps(300);  // progress every 25 steps: room to pause after 4 and resume
    view.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 4, 20000);
    s->pause();
    QVERIFY(paused.wait(10000));
    QVERIFY(s->isPaused());
    const int atPause = progress.count();
    QTest::qWait(300);
    QCOMPARE(progress.count(), atPause);  // nothing moves while paused
    const double secondsAtPause = progress.at(atPause - 1).at(4).toDouble();
    // Cancel asks first: "Keep Training" keeps the paused run.
    auto answer = [](const QString& button) {
        QTimer::singleShot(100, [button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(QStringLiteral("Discard the model trained so far")));
            for (QAbstractButton* b : box->buttons())
                if (b->text() == button) b->click();
        });
    };
    answer(QStringLiteral("Keep Training"));
    view.cancelButton()->click();
    QVERIFY(s->running() && s->isPaused());
    s->resume();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > atPause, 20000);
    // The time goes on from where it paused, not from zero.
    QVERIFY2(progress.at(atPause).at(4).toDouble() >= secondsAtPause,
             qPrintable(QStringLiteral("%1 s after resuming, %2 s at the pause").arg(progress.at(atPause).at(4).toDouble()).arg(secondsAtPause)));
    QVERIFY(finished.wait(60000));
    QCOMPARE(progress.last().at(0).toInt(), 300);
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

    // A second run, cancelled: "Discard" ends it.
    const int before = progress.count();
    view.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= before + 2, 20000);
    answer(QStringLiteral("Discard"));
    view.cancelButton()->click();
    QVERIFY(!s->running());
}

QTEST_MAIN(TestTrainView)
#include "tst_train_view.moc"
