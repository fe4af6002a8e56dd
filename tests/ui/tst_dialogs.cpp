// The export dialog's figure size, the file dialogs' remembered folders, and the training curves'
// axes.
#include "render/curve_painter.h"
#include "widgets/export_dialog.h"
#include "widgets/file_dialogs.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

class TestDialogs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void exportSizeKeepsTheAspectRatio();
    void exportSizeInOtherUnits_data();
    void exportSizeInOtherUnits();
    void exportSizeIsRememberedPerView();
    void foldersAreRemembered();
    void curvesHaveTheirOwnAxes();
};

void TestDialogs::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("attnscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dialogs"));
}

void TestDialogs::exportSizeKeepsTheAspectRatio() {
    ExportDialog dialog(QStringLiteral("links.pdf"), FigureFormat::Pdf, QStringLiteral("links"), QSizeF(600, 400));
    QCOMPARE(dialog.options().size, QSizeF(600, 400));
    auto boxes = dialog.findChildren<QDoubleSpinBox*>();
    QCOMPARE(boxes.size(), 2);
    boxes[0]->setValue(300);  // width: the height follows
    QCOMPARE(dialog.options().size, QSizeF(300, 200));
    dialog.findChild<QCheckBox*>()->setChecked(false);  // unlocked: each on its own
    boxes[1]->setValue(500);
    QCOMPARE(dialog.options().size, QSizeF(300, 500));
    dialog.setFigureSize(QSizeF(1, 1e9));  // clamped to 1..100 inches
    QCOMPARE(dialog.options().size, QSizeF(72, 7200));
}

void TestDialogs::exportSizeInOtherUnits_data() {
    QTest::addColumn<int>("unit");
    QTest::addColumn<double>("shownWidth");  // for 243 points
    QTest::newRow("points") << 0 << 243.0;
    QTest::newRow("inches") << 1 << 3.38;  // a journal's single column
    QTest::newRow("cm") << 2 << 8.57;
}

void TestDialogs::exportSizeInOtherUnits() {
    QFETCH(int, unit);
    QFETCH(double, shownWidth);
    ExportDialog dialog(QStringLiteral("heatmap.svg"), FigureFormat::Svg, QStringLiteral("heatmap"), QSizeF(243, 243));
    dialog.findChild<QComboBox*>()->setCurrentIndex(unit);
    auto boxes = dialog.findChildren<QDoubleSpinBox*>();
    QVERIFY(std::abs(boxes[0]->value() - shownWidth) < 0.006);
    QCOMPARE(dialog.options().size, QSizeF(243, 243));  // showing it in other units changes nothing
}

void TestDialogs::exportSizeIsRememberedPerView() {
    {
        ExportDialog dialog(QStringLiteral("grid.png"), FigureFormat::Png, QStringLiteral("grid"), QSizeF(800, 800));
        dialog.setFigureSize(QSizeF(500, 400));
        dialog.accept();
    }
    ExportDialog again(QStringLiteral("grid.png"), FigureFormat::Png, QStringLiteral("grid"), QSizeF(900, 900));
    QCOMPARE(again.options().size, QSizeF(500, 400));  // a paper's figures come out alike
    ExportDialog other(QStringLiteral("links.png"), FigureFormat::Png, QStringLiteral("links"), QSizeF(700, 300));
    QCOMPARE(other.options().size, QSizeF(700, 300));  // another view keeps its own
    again.setFigureSize(QSizeF(900, 900));  // back to the view's proposal: nothing pinned
    again.accept();
    ExportDialog third(QStringLiteral("grid.png"), FigureFormat::Png, QStringLiteral("grid"), QSizeF(640, 640));
    QCOMPARE(third.options().size, QSizeF(640, 640));
}

void TestDialogs::foldersAreRemembered() {
    QTemporaryDir dir;
    QCOMPARE(lastFolder(QStringLiteral("export")), QDir::homePath());  // nothing yet
    rememberFolder(QStringLiteral("export"), dir.filePath(QStringLiteral("figure.svg")));
    QCOMPARE(lastFolder(QStringLiteral("export")), QFileInfo(dir.path()).absoluteFilePath());
    QCOMPARE(lastFolder(QStringLiteral("session")), QDir::homePath());  // each kind its own
    rememberFolder(QStringLiteral("model"), dir.path());  // a folder is remembered as itself
    QCOMPARE(lastFolder(QStringLiteral("model")), QFileInfo(dir.path()).absoluteFilePath());
    const QString gone = dir.filePath(QStringLiteral("gone"));
    QDir().mkpath(gone);
    rememberFolder(QStringLiteral("image"), gone);
    QDir(gone).removeRecursively();
    QCOMPARE(lastFolder(QStringLiteral("image")), QDir::homePath());  // a folder since deleted
}

// Loss (0..6) and accuracy (0..1) each get a plot with y ticks of their own; the steps run under both.
void TestDialogs::curvesHaveTheirOwnAxes() {
    CurveSeries loss{QStringLiteral("loss"), Qt::red, {{0, 6.2}, {400, 2.0}, {800, 0.9}}, 0, 0};
    CurveSeries accuracy{QStringLiteral("accuracy"), Qt::blue, {{0, 0.1}, {400, 0.6}, {800, 0.95}}, 0, 1};
    QBuffer buffer;
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(600, 500));
    {
        QPainter p(&svg);
        paintCurves(p, QRectF(0, 0, 600, 500), {loss, accuracy}, 800, QStringLiteral("steps"), QFont(QStringLiteral("DejaVu Sans"), 9), Qt::black);
    }
    const QByteArray text = buffer.data();
    for (const char* tick : {">0.2<", ">0.8<", ">1.0<", ">4<", ">6<", ">800<", ">steps<", ">loss  0.900<", ">accuracy  0.950<"})
        QVERIFY2(text.contains(tick), tick);
}

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
