// Presentation mode on the screens a class sees: a 1280x720 projector and a 1920x1080 one (two
// offscreen screens of those sizes), light and dark.
#include "render/links_painter.h"
#include "render/view_specs.h"
#include "widgets/links_view.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

class TestPresentation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void themeAndGeometryOutliveTheWindow_data();
    void themeAndGeometryOutliveTheWindow();
    void fitsTheScreen_data();
    void fitsTheScreen();
};

void TestPresentation::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCOMPARE(QGuiApplication::screens().size(), 2);
}

void TestPresentation::fitsTheScreen_data() {
    QTest::addColumn<int>("screen");
    QTest::addColumn<bool>("dark");
    QTest::newRow("1280x720") << 0 << false;
    QTest::newRow("1280x720, dark") << 0 << true;
    QTest::newRow("1920x1080") << 1 << false;
}

void TestPresentation::fitsTheScreen() {
    QFETCH(int, screen);
    QFETCH(bool, dark);
    QScreen* s = QGuiApplication::screens().at(screen);
    MainWindow w;
    w.setScreen(s);
    w.move(s->geometry().topLeft());
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinModel();
    QVERIFY(ready.wait(10000));
    w.showView(QStringLiteral("links"));
    w.setDarkTheme(dark);
    w.setPresentationMode(true);
    QTRY_COMPARE(w.geometry(), s->geometry());
    // Nothing asks for more room than the screen has: the control row wraps, the type scales.
    QVERIFY2(w.minimumSizeHint().width() <= s->geometry().width(),
             qPrintable(QStringLiteral("needs %1 px of %2").arg(w.minimumSizeHint().width()).arg(s->geometry().width())));
    QVERIFY2(w.minimumSizeHint().height() <= s->geometry().height(),
             qPrintable(QStringLiteral("needs %1 px of %2").arg(w.minimumSizeHint().height()).arg(s->geometry().height())));
    QCOMPARE(QApplication::palette().color(QPalette::Base), dark ? QColor(Qt::black) : QColor(Qt::white));
    // The Links labels: at least 28 px tall on the 1080p projector, and rows never overlap.
    auto* links = w.findChild<LinksView*>();
    QVERIFY(links && links->isVisible());
    QTest::qWait(50);
    AttentionMatrix matrix;
    const LinksSpec spec = linksSpec(*w.session()->result(), *w.viewState(), links->figureStyle(), matrix);
    const QRectF rect = QRectF(links->rect()).adjusted(8, 8, -8, -8);
    const QFontMetricsF fm(linksFont(rect, spec));
    const LinksLayout layout = linksLayout(rect, spec);
    QVERIFY2(fm.height() <= layout.rowHeight + 0.5, qPrintable(QStringLiteral("text %1 px in rows of %2").arg(fm.height()).arg(layout.rowHeight)));
    if (s->geometry().height() >= 1080)
        QVERIFY2(fm.height() >= 28, qPrintable(QStringLiteral("Links labels %1 px tall").arg(fm.height())));
    w.setPresentationMode(false);
    w.setDarkTheme(false);
}

void TestPresentation::themeAndGeometryOutliveTheWindow_data() {
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("presenting");  // closed in presentation mode: the full screen is not kept
    QTest::newRow("dark") << true << false;
    QTest::newRow("light") << false << false;
    QTest::newRow("dark, closed presenting") << true << true;
}

void TestPresentation::themeAndGeometryOutliveTheWindow() {
    QFETCH(bool, dark);
    QFETCH(bool, presenting);
    QSettings().clear();  // nothing from an earlier run
    const QPalette light = QApplication::style()->standardPalette();
    QSize kept;
    {
        MainWindow w;
        w.show();
        w.resize(760, 500);  // the offscreen test screen is 800 x 600, narrower than the window may be
        kept = w.size();
        w.setDarkTheme(dark);
        if (presenting) w.setPresentationMode(true);
        w.close();  // saves
        if (presenting) w.setPresentationMode(false);
    }
    MainWindow again;
    QAction* action = nullptr;
    for (QAction* a : again.findChildren<QAction*>())
        if (a->text().remove(QLatin1Char('&')) == QStringLiteral("Dark Theme")) action = a;
    QVERIFY(action);
    QCOMPARE(action->isChecked(), dark);
    QCOMPARE(QApplication::palette().color(QPalette::Base) == light.color(QPalette::Base), !dark);
    if (presenting) QVERIFY(again.height() > kept.height());  // a full screen not saved: the default fills the screen
    else QCOMPARE(again.height(), kept.height());
    action->setChecked(!dark);  // the menu switches the theme
    QCOMPARE(QApplication::palette().color(QPalette::Base) == light.color(QPalette::Base), dark);
    again.setDarkTheme(false);
}

int main(int argc, char** argv) {
    // Two screens side by side: a 1280x720 projector and a 1920x1080 one.
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("screens.json"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly)) return 1;
    f.write(R"({"screens": [
        {"name": "projector720", "x": 0, "y": 0, "width": 1280, "height": 720, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "projector1080", "x": 1280, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    f.close();
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + config.toUtf8());
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    TestPresentation test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_presentation.moc"
