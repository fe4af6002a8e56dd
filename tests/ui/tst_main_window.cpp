// The main window on the offscreen platform: opening models, typing, hovering, clicking, errors.
#include "test_paths.h"
#include "widgets/heatmap_view.h"
#include "widgets/main_window.h"
#include "widgets/model_grid_view.h"
#include "widgets/token_bar.h"
#include "widgets/window_geometry.h"

#include <QApplication>
#include <QLabel>
#include "widgets/sentence_edit.h"
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QScreen>
#include <QTest>
#include <QToolButton>

using namespace attnscope::ui;

namespace {
void placeCursor(SentenceEdit* edit, int position) {
    QTextCursor cursor = edit->textCursor();
    cursor.setPosition(position);
    edit->setTextCursor(cursor);
}
}  // namespace

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
    void geometryFitsTheScreen();
    void pinFollowsTheWordWhileTyping();
    void sessionPinBeatsTheAutomaticPin();
    void windowShortcutsWorkWhileTyping();
    void linksDirectionIsAControl();
    void longTextMarksWhereTheModelStopped();

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
    auto* edit = w.findChild<SentenceEdit*>();
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
    SentenceEdit* edit = w.findChild<SentenceEdit*>();
    const qreal box = edit->font().pointSizeF();
    w.setPresentationMode(true);
    QVERIFY(QApplication::font().pointSizeF() > normal * 1.5);
    QTRY_VERIFY(edit->font().pointSizeF() > box * 1.5);  // the sentence box scales with everything else
    QCOMPARE(edit->maxLines(), 2);                         // and a paragraph leaves the figure its room
    QVERIFY(w.isFullScreen());  // fitting a 1280x720 projector: tst_presentation
    // Dark theme in presentation mode: white on black.
    w.setDarkTheme(true);
    QCOMPARE(QApplication::palette().color(QPalette::Base), QColor(Qt::black));
    QCOMPARE(QApplication::palette().color(QPalette::Text), QColor(Qt::white));
    w.setDarkTheme(false);
    QCOMPARE(QApplication::palette().color(QPalette::Base), QColor(Qt::white));
    w.setPresentationMode(false);
    QCOMPARE(QApplication::font().pointSizeF(), normal);
    QTRY_COMPARE(edit->font().pointSizeF(), box);
    QCOMPARE(edit->maxLines(), 4);
}

void TestMainWindow::geometryFitsTheScreen() {
    MainWindow w;
    w.show();
    const QRect avail = w.screen()->availableGeometry();
    w.setGeometry(avail.x() + 300, avail.y() + 200, avail.width() + 900, avail.height() + 700);  // saved on a larger monitor
    fitWindowToScreen(&w);
    // On the screen, as large as it fits (never below its minimum size: the offscreen test screen
    // is smaller than any projector).
    const QRect g = w.frameGeometry();
    const QString where = QStringLiteral("%1,%2 %3x%4 in %5x%6").arg(g.x()).arg(g.y()).arg(g.width()).arg(g.height()).arg(avail.width()).arg(avail.height());
    QVERIFY2(g.left() >= avail.left() && g.top() >= avail.top(), qPrintable(where));
    QVERIFY2(w.width() <= std::max(avail.width(), w.minimumSizeHint().width()), qPrintable(where));
    QVERIFY2(w.height() <= std::max(avail.height(), w.minimumSizeHint().height()), qPrintable(where));
    QVERIFY2(w.height() < avail.height() + 700, qPrintable(where));
}

void TestMainWindow::pinFollowsTheWordWhileTyping() {
    MainWindow w;
    w.show();
    w.openBuiltinModel();
    waitForResult(w);
    SentenceEdit* edit = w.findChild<SentenceEdit*>();
    QVERIFY(edit);
    const int it = w.session()->result()->labels.indexOf(QStringLiteral("it"));
    QTRY_COMPARE(w.viewState()->pinnedToken(), it);  // the teaching model opens with "it" pinned
    // Words typed at the start move "it" right; the pin goes with it.
    edit->setFocus();
    placeCursor(edit, 0);
    QTest::keyClicks(edit, QStringLiteral("So "));
    QTRY_COMPARE(w.session()->result()->text, edit->text());
    QCOMPARE(w.viewState()->pinnedToken(), it + 1);
    QCOMPARE(w.session()->result()->labels[w.viewState()->pinnedToken()], QStringLiteral("it"));
    // "it" edited into "its": nothing is pinned rather than the wrong word.
    const int at = int(edit->text().indexOf(QStringLiteral(" it ")) + 3);
    placeCursor(edit, at);
    QTest::keyClicks(edit, QStringLiteral("s"));
    QTRY_COMPARE(w.session()->result()->text, edit->text());
    QCOMPARE(w.viewState()->pinnedToken(), -1);
}

void TestMainWindow::sessionPinBeatsTheAutomaticPin() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pin.attnscope"));
    int animal = -1;
    {
        MainWindow w;
        w.show();
        w.openBuiltinModel();
        waitForResult(w);
        animal = w.session()->result()->labels.indexOf(QStringLiteral("animal"));
        QVERIFY(animal > 0);
        w.viewState()->setPinnedToken(animal);
        w.viewState()->setLinkDirection(LinkDirection::AttendedBy);
        QVERIFY(saveSession(path, w.currentSession()).ok());
    }
    MainWindow w;
    w.show();
    w.openSession(path);
    QTRY_VERIFY(w.session()->result() != nullptr);
    QTest::qWait(50);  // anything queued after the first result (the automatic pin) has run
    QCOMPARE(w.viewState()->pinnedToken(), animal);
    QCOMPARE(int(w.viewState()->linkDirection()), int(LinkDirection::AttendedBy));
}

void TestMainWindow::windowShortcutsWorkWhileTyping() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.openModel(attnscope::test::modelFixture(QStringLiteral("bert")));
    w.setText(QStringLiteral("the road"));
    waitForResult(w);
    w.viewState()->setHeadMode(HeadMode::Single);
    w.viewState()->setHead(0);
    w.viewState()->setLayer(0);
    SentenceEdit* edit = w.findChild<SentenceEdit*>();
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClick(edit, Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(w.viewState()->head(), 1);
    QTest::keyClick(edit, Qt::Key_Left, Qt::ControlModifier);
    QCOMPARE(w.viewState()->head(), 0);
    QTest::keyClick(edit, Qt::Key_PageDown);
    QCOMPARE(w.viewState()->layer(), 1);
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);  // select all stays the box's
    QCOMPARE(edit->textCursor().selectedText(), QStringLiteral("the road"));
    QTest::keyClicks(edit, QStringLiteral("x"));  // and typing still types
    QCOMPARE(edit->text(), QStringLiteral("x"));
}

void TestMainWindow::linksDirectionIsAControl() {
    MainWindow w;
    w.show();
    auto buttons = w.findChildren<QToolButton*>();
    QToolButton* to = nullptr;
    QToolButton* by = nullptr;
    for (QToolButton* b : buttons) {
        if (b->text().contains(QStringLiteral("what it attends to"))) to = b;
        if (b->text().contains(QStringLiteral("what attends to it"))) by = b;
    }
    QVERIFY(to && by);
    QVERIFY(to->isChecked() && !by->isChecked());
    by->click();
    QCOMPARE(int(w.viewState()->linkDirection()), int(LinkDirection::AttendedBy));
    QVERIFY(!to->isChecked());
    w.viewState()->setLinkDirection(LinkDirection::AttendsTo);  // and the control follows the state
    QVERIFY(to->isChecked() && !by->isChecked());
}

void TestMainWindow::longTextMarksWhereTheModelStopped() {
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    w.openBuiltinModel();
    waitForResult(w);
    auto* edit = w.findChild<SentenceEdit*>();
    QVERIFY(edit);
    QCOMPARE(edit->cutStart(), -1);  // the default sentence fits
    const int oneLine = edit->height();
    // 80 words: more than the built-in model's 64 tokens. The cut falls where the first unread word starts.
    QStringList words;
    for (int i = 0; i < 80; ++i) words << (i % 2 ? QStringLiteral("dog") : QStringLiteral("cat"));
    const QString text = words.join(QLatin1Char(' '));
    w.setText(text);
    QTRY_COMPARE(w.session()->result()->text, text);
    const auto result = w.session()->result();
    QVERIFY(result->truncated);
    QCOMPARE(result->fullTokens, 82);  // [CLS] 80 words [SEP]
    QCOMPARE(result->encoding.size(), 64);
    QTRY_VERIFY(edit->cutStart() > 0);
    QCOMPARE(edit->cutStart(), 62 * 4);  // 62 words of "cat " / "dog " read, the 63rd not
    QVERIFY(edit->toolTip().contains(QStringLiteral("reads 64 tokens")));
    QVERIFY(w.errorText().contains(QStringLiteral("82 tokens")));
    QVERIFY(edit->height() > oneLine);  // the long text wraps onto more lines instead of hiding
    // A text that fits clears the mark and the message.
    w.setText(QStringLiteral("the cat sat"));
    QTRY_COMPARE(w.session()->result()->text, QStringLiteral("the cat sat"));
    QCOMPARE(edit->cutStart(), -1);
    QVERIFY(w.errorText().isEmpty());
    QTRY_COMPARE(edit->height(), oneLine);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
