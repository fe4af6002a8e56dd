// The main window on the offscreen platform: opening models, typing, hovering, clicking, errors.
#include "test_paths.h"
#include "widgets/heatmap_view.h"
#include "widgets/main_window.h"
#include "widgets/model_grid_view.h"
#include "widgets/token_bar.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startsEmptyWithoutAnError();
    void typingUpdatesTheViews();
    void hoverAndPinFromTheTokenBar();
    void gridClickFocusesAHead();
    void badFolderShowsErrorInPlace();
    void sessionReopensTheViewExactly();
    void arrowsChangeHeadAndLayer();
    void presentationModeEnlargesType();

private:
    void waitForResult(MainWindow& w);
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
}

void TestMainWindow::waitForResult(MainWindow& w) {
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    QVERIFY(ready.wait(5000));
}

void TestMainWindow::startsEmptyWithoutAnError() {
    MainWindow w;
    w.show();
    QVERIFY(w.errorText().isEmpty());
    QVERIFY(!w.session()->model());
    QVERIFY(w.findChild<QLabel*>() != nullptr);
}

void TestMainWindow::typingUpdatesTheViews() {
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QSignalSpy changed(w.session(), &AnalysisSession::modelChanged);
    w.openModel(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(changed.wait(5000));
    auto* edit = w.findChild<QLineEdit*>();
    QVERIFY(edit);
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    QTest::keyClicks(edit, QStringLiteral("the road was wide ."));
    QVERIFY(ready.wait(5000));
    const auto result = w.session()->result();
    QCOMPARE(result->text, QStringLiteral("the road was wide ."));
    QCOMPARE(w.viewState()->tokens(), 7);
    w.showView(QStringLiteral("heatmap"));
    auto* heatmap = qobject_cast<HeatmapView*>(w.currentFigure());
    QVERIFY(heatmap);
    QCOMPARE(heatmap->result(), result);
}

void TestMainWindow::hoverAndPinFromTheTokenBar() {
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    w.openModel(attnscope::test::modelFixture(QStringLiteral("bert")));
    w.setText(QStringLiteral("the road was wide ."));
    waitForResult(w);
    auto* bar = w.findChild<TokenBar*>();
    QVERIFY(bar);
    QTRY_VERIFY(bar->height() > 10);
    const auto chips = chipLayout(w.session()->result()->labels, bar->font(), bar->width());
    QTest::mouseMove(bar, chips[2].center().toPoint());
    QTRY_COMPARE(w.viewState()->hoveredToken(), 2);
    QTest::mouseClick(bar, Qt::LeftButton, {}, chips[3].center().toPoint());
    QCOMPARE(w.viewState()->pinnedToken(), 3);
    QCOMPARE(w.viewState()->focusToken(), 3);
}

void TestMainWindow::gridClickFocusesAHead() {
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    w.openModel(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    w.setText(QStringLiteral("The animal was tired."));
    waitForResult(w);
    w.showView(QStringLiteral("grid"));
    auto* grid = qobject_cast<ModelGridView*>(w.currentFigure());
    QVERIFY(grid);
    QTRY_VERIFY(grid->isVisible());
    const auto trace = w.session()->result()->trace;
    const GridLayout g = gridLayout(QRectF(grid->rect()).adjusted(8, 8, -8, -8), trace->layers(), trace->heads(), grid->font());
    QTest::mouseClick(grid, Qt::LeftButton, {}, g.thumbnail(1, 3).center().toPoint());
    QCOMPARE(w.viewState()->layer(), 1);
    QCOMPARE(w.viewState()->head(), 3);
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("heatmap"));
}

void TestMainWindow::badFolderShowsErrorInPlace() {
    MainWindow w;
    w.show();
    w.openModel(attnscope::test::modelFixture(QStringLiteral("bert")));
    w.setText(QStringLiteral("the road"));
    waitForResult(w);
    QTemporaryDir corrupt;
    QVERIFY(attnscope::test::copyFolder(attnscope::test::modelFixture(QStringLiteral("bert")), corrupt.path()));
    QFile f(corrupt.filePath(QStringLiteral("model.safetensors")));
    QVERIFY(f.resize(100));
    QSignalSpy failed(w.session(), &AnalysisSession::modelFailed);
    w.openModel(corrupt.path());
    QVERIFY(failed.wait(5000));
    QVERIFY2(w.errorText().contains(QStringLiteral("truncated")), qPrintable(w.errorText()));
    QCOMPARE(w.session()->model()->config().modelType, QStringLiteral("bert"));  // the previous model still works
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.setText(QStringLiteral("the road was wide"));
    QVERIFY(ready.wait(5000));
}

void TestMainWindow::sessionReopensTheViewExactly() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("v.attnscope"));
    {
        MainWindow w;
        w.show();
        w.openModel(attnscope::test::modelFixture(QStringLiteral("gpt2")));
        w.setText(QStringLiteral("The animal was tired."));
        waitForResult(w);
        w.viewState()->setLayer(1);
        w.viewState()->setHead(2);
        w.viewState()->setPinnedToken(3);
        w.viewState()->setColormap(ColormapId::Magma);
        w.showView(QStringLiteral("links"));
        QVERIFY(saveSession(path, w.currentSession()).ok());
    }
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openSession(path);
    QVERIFY(ready.wait(5000));
    QTRY_COMPARE(w.viewState()->layer(), 1);
    QCOMPARE(w.viewState()->head(), 2);
    QCOMPARE(w.viewState()->pinnedToken(), 3);
    QCOMPARE(int(w.viewState()->colormap()), int(ColormapId::Magma));
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("links"));
    QCOMPARE(w.text(), QStringLiteral("The animal was tired."));
    QCOMPARE(w.session()->model()->config().modelType, QStringLiteral("gpt2"));
}

void TestMainWindow::arrowsChangeHeadAndLayer() {
    MainWindow w;
    w.show();
    w.openModel(attnscope::test::modelFixture(QStringLiteral("bert")));
    w.setText(QStringLiteral("the road"));
    waitForResult(w);
    w.showView(QStringLiteral("heatmap"));
    w.viewState()->setHeadMode(HeadMode::Single);
    w.viewState()->setLayer(0);
    w.viewState()->setHead(0);
    QWidget* view = w.currentFigure();
    QTest::keyClick(view, Qt::Key_Right);
    QTest::keyClick(view, Qt::Key_Right);
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(w.viewState()->head(), 2);
    QCOMPARE(w.viewState()->layer(), 1);
    QTest::keyClick(view, Qt::Key_Down);  // clamped at the last layer
    QCOMPARE(w.viewState()->layer(), 1);
}

void TestMainWindow::presentationModeEnlargesType() {
    MainWindow w;
    w.show();
    const qreal normal = QApplication::font().pointSizeF();
    w.setPresentationMode(true);
    QVERIFY(QApplication::font().pointSizeF() > normal * 1.5);
    QVERIFY(w.isFullScreen());
    w.setPresentationMode(false);
    QCOMPARE(QApplication::font().pointSizeF(), normal);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
