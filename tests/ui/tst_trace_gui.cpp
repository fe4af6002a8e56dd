// Trace files in the window: opened on the worker, every view drawn as far as the trace allows and
// the rest saying why in place, the text read-only, the layer control naming the model's layers,
// Compare between two traces, a bad file's error in place, and a model opened afterwards.
#include "export/view_export.h"
#include "model/image_preprocessor.h"
#include "model/model_loader.h"
#include "model/text_analysis.h"
#include "session/image_input.h"
#include "session/trace_result.h"
#include "test_paths.h"
#include "trace/trace_writer.h"
#include "widgets/ablation_panel.h"
#include "widgets/compare_page.h"
#include "widgets/compare_view.h"
#include "widgets/figure_view.h"
#include "widgets/layer_spin_box.h"
#include "widgets/lesson_panel.h"
#include "widgets/main_window.h"
#include "widgets/sentence_edit.h"
#include "widgets/session_status.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;
using namespace attnscope;

namespace {

QString traceFixture(const QString& name) { return QStringLiteral(ATTNSCOPE_FIXTURES "/traces/") + name; }

// Opens a trace in the window and waits for it to be shown.
bool openAndWait(MainWindow& w, const QString& path) {
    QSignalSpy opened(w.session(), &AnalysisSession::traceOpened);
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openTrace(path);
    return (opened.count() > 0 || opened.wait(10000)) && (ready.count() > 0 || ready.wait(10000));
}

}  // namespace

class TestTraceGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyView_data();
    void everyView();
    void layerControlNamesTheModelsLayers();
    void compareTwoTraces();
    void exportsNameTheModelsLayers();
    void badTraceShowsItsErrorInPlace();
    void aModelAfterATrace();
    void aModelRunSavesAsATrace();

private:
    QString vitTrace();
    QTemporaryDir m_dir;
};

void TestTraceGui::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
}

// A vision run saved with its picture, as attnscope-cli attention --image --save-trace does.
QString TestTraceGui::vitTrace() {
    const QString path = m_dir.filePath(QStringLiteral("vit.safetensors"));
    if (QFile::exists(path)) return path;
    QImage picture(40, 40, QImage::Format_RGB32);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 40; ++x) picture.setPixel(x, y, qRgb(6 * x, 6 * y, 120));
    const QString png = m_dir.filePath(QStringLiteral("picture.png"));
    if (!picture.save(png)) return QString();
    auto model = core::loadModelFolder(test::modelFixture(QStringLiteral("vit")));
    auto decoded = decodeImageFile(png);
    if (!model || !decoded) return QString();
    auto prep = core::loadPreprocessorConfig(model->folder, model->config());
    if (!prep) return QString();
    auto analysis = core::analyzeImage(*model, core::preprocessImage(decoded->rgb, *prep), {});
    if (!analysis) return QString();
    core::TraceInfo info;
    info.model = QStringLiteral("tiny-vit");
    info.modelType = model->config().modelType;
    info.setTokens(analysis->encoding);
    info.offsets.clear();
    info.imageGrid = model->config().patchesPerSide();
    core::TraceWriteOptions options;
    options.picture = tracePicture(decoded->image);
    return core::saveTraceFile(path, *analysis->trace, info, options) ? path : QString();
}

void TestTraceGui::everyView_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("drawn");       // views with a figure
    QTest::addColumn<QStringList>("unavailable");  // views that say why not
    const QStringList always{"links", "heatmap", "grid", "aggregate"};
    QTest::newRow("matrices f16") << "teaching-matrices-f16.safetensors" << always << QStringList{"qkv", "lens", "qkspace"};
    QTest::newRow("q and k bf16, layers 1-2") << "teaching-qk-bf16-layers.safetensors" << always + QStringList{"qkspace"}
                                              << QStringList{"qkv", "lens"};
    QTest::newRow("vit with its picture") << "@vit" << QStringList{"image", "heatmap", "grid"} << QStringList{"qkv", "lens"};
}

void TestTraceGui::everyView() {
    QFETCH(QString, file);
    QFETCH(QStringList, drawn);
    QFETCH(QStringList, unavailable);
    const QString path = file == QLatin1String("@vit") ? vitTrace() : traceFixture(file);
    QVERIFY(!path.isEmpty());
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(openAndWait(w, path));
    QVERIFY(w.errorText().isEmpty());
    QVERIFY2(w.windowTitle().contains(QStringLiteral("trace")), qPrintable(w.windowTitle()));
    const auto opened = w.session()->traceFile();
    QVERIFY(opened);
    auto* status = w.findChild<SessionStatus*>();
    QVERIFY(status);
    QVERIFY2(status->modelText().startsWith(QStringLiteral("Trace of ")), qPrintable(status->modelText()));
    QVERIFY2(status->modelText().contains(opened->contents), qPrintable(status->modelText()));
    if (opened->info.imageGrid == 0) {
        auto* edit = w.findChild<SentenceEdit*>();
        QVERIFY(edit && edit->isReadOnly());
        QCOMPARE(w.text(), opened->info.text);
    }
    for (const QString& view : drawn + unavailable) {
        w.showView(view);
        QApplication::processEvents();
        FigureView* f = w.currentFigure();
        QVERIFY2(f && f->figureName() == view, qPrintable(view));
        QTRY_VERIFY2_WITH_TIMEOUT(f->hasFigure() == drawn.contains(view), qPrintable(view), 5000);
        QCOMPARE(f->unavailable().isEmpty(), drawn.contains(view));
        QVERIFY(!f->grab().isNull());  // painted: the figure, or why not
    }
    // Q/K/V's step buttons go with its figure.
    w.showView(QStringLiteral("qkv"));
    QApplication::processEvents();
    const QList<QPushButton*> steps = w.currentFigure()->findChildren<QPushButton*>();
    QCOMPARE(steps.size(), 3);  // ◀ Step, ▶ Play, Step ▶
    for (QPushButton* b : steps) QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
    // The lesson, the analyses and the ablation grid do not pretend a model is there.
    w.setLessonVisible(true);
    QApplication::processEvents();
    QVERIFY(w.lesson()->captionText().contains(QStringLiteral("trace file")));
    w.setAnalysesVisible(true);
    QApplication::processEvents();
    QVERIFY(!w.ablation()->findChild<QTableWidget*>()->isEnabled());
    QVERIFY(!w.grab().isNull());
}

// Layers 1 and 2 of a 4-layer model show as 1 and 2; the views' titles say the same.
void TestTraceGui::layerControlNamesTheModelsLayers() {
    MainWindow w;
    w.show();
    QVERIFY(openAndWait(w, traceFixture(QStringLiteral("teaching-qk-bf16-layers.safetensors"))));
    auto* spin = w.findChild<LayerSpinBox*>();
    QVERIFY(spin);
    QCOMPARE(spin->value(), 0);
    QCOMPARE(spin->text(), QStringLiteral("1"));
    spin->stepUp();
    QCOMPARE(w.viewState()->layer(), 1);
    QCOMPARE(spin->text(), QStringLiteral("2"));
    spin->selectAll();  // typing the model's number picks its layer
    QTest::keyClicks(spin, QStringLiteral("1"));
    QTest::keyClick(spin, Qt::Key_Enter);
    QCOMPARE(w.viewState()->layer(), 0);
    QCOMPARE(spin->text(), QStringLiteral("1"));
}

// Compare between two traces of one model; a trace of other layers is refused with a reason.
void TestTraceGui::compareTwoTraces() {
    MainWindow w;
    w.show();
    QVERIFY(openAndWait(w, traceFixture(QStringLiteral("teaching-matrices-f16.safetensors"))));
    w.showView(QStringLiteral("compare"));
    ComparePage* page = w.comparePage();
    QSignalSpy compared(page, &ComparePage::compared);
    const QString b = m_dir.filePath(QStringLiteral("b.safetensors"));
    QVERIFY(QFile::copy(traceFixture(QStringLiteral("teaching-matrices-f16.safetensors")), b));
    page->openTraceB(b);
    QVERIFY(compared.wait(10000));
    QVERIFY(page->view()->comparison());
    QCOMPARE(double(page->view()->comparison()->maxAbsDiff()), 0.0);  // the same run twice

    page->openTraceB(traceFixture(QStringLiteral("teaching-qk-bf16-layers.safetensors")));
    QTRY_VERIFY_WITH_TIMEOUT(!page->busy(), 10000);
    QVERIFY(!page->view()->comparison());
    QVERIFY(!page->view()->grab().isNull());
}

// A trace of layers 1 and 2: the exported data and file names carry the model's layer numbers.
void TestTraceGui::exportsNameTheModelsLayers() {
    MainWindow w;
    w.show();
    QVERIFY(openAndWait(w, traceFixture(QStringLiteral("teaching-qk-bf16-layers.safetensors"))));
    const AnalysisResultPtr r = w.session()->result();
    const QString json = m_dir.filePath(QStringLiteral("whole.json"));
    QVERIFY(exportTraceData(json, *r, QStringLiteral("bert")));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(o.value("num_layers").toInt(), 4);
    QCOMPARE(o.value("layers").toArray(), QJsonArray({1, 2}));
    QCOMPARE(o.value("attentions").toArray().size(), 2);
    QCOMPARE(o.value("q").toArray().size(), 2);  // rebuilt from q and k: the scores and q, k are there; v is not
    QVERIFY(o.contains("scores") && !o.contains("v") && !o.contains("hidden_states"));

    // A trace of matrices alone: no scores, q, k or v to write, and none made up.
    MainWindow m;
    QVERIFY(openAndWait(m, traceFixture(QStringLiteral("teaching-matrices-f16.safetensors"))));
    const QString matrices = m_dir.filePath(QStringLiteral("matrices.json"));
    QVERIFY(exportTraceData(matrices, *m.session()->result(), QStringLiteral("bert")));
    QFile g(matrices);
    QVERIFY(g.open(QIODevice::ReadOnly));
    const QJsonObject p = QJsonDocument::fromJson(g.readAll()).object();
    QCOMPARE(p.value("attentions").toArray().size(), 4);
    QVERIFY(!p.contains("scores") && !p.contains("q") && !p.contains("layers"));

    const QString folder = m_dir.filePath(QStringLiteral("heads"));
    QVERIFY(QDir().mkpath(folder));
    FigureStyle style;
    auto written = exportAllHeads(folder, QStringLiteral("heatmap"), QStringLiteral("svg"), *r, *w.viewState(), style, 72, {});
    QVERIFY2(written, qPrintable(written.message()));
    QCOMPARE(*written, 2 * 4);
    QVERIFY(QFile::exists(folder + QStringLiteral("/layer1_head0.svg")));
    QVERIFY(QFile::exists(folder + QStringLiteral("/layer2_head3.svg")));
    QVERIFY(!QFile::exists(folder + QStringLiteral("/layer0_head0.svg")));
}

void TestTraceGui::badTraceShowsItsErrorInPlace() {
    MainWindow w;
    w.show();
    QVERIFY(openAndWait(w, traceFixture(QStringLiteral("teaching-matrices-f16.safetensors"))));
    const QString bad = m_dir.filePath(QStringLiteral("cut.safetensors"));
    {
        QFile in(traceFixture(QStringLiteral("teaching-matrices-f16.safetensors"))), out(bad);
        QVERIFY(in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() / 2));
    }
    QSignalSpy failed(w.session(), &AnalysisSession::traceFailed);
    w.openTrace(bad);
    QVERIFY(failed.wait(10000));
    QVERIFY2(w.errorText().contains(QStringLiteral("Could not open the trace")), qPrintable(w.errorText()));
    QVERIFY2(w.errorText().contains(QStringLiteral("truncated")), qPrintable(w.errorText()));
    // What was shown stays shown.
    QVERIFY(w.session()->traceFile());
    QVERIFY(w.session()->result());
}

// Opening a model leaves the trace: typing works again and the views follow the model.
void TestTraceGui::aModelAfterATrace() {
    MainWindow w;
    w.show();
    QVERIFY(openAndWait(w, traceFixture(QStringLiteral("teaching-matrices-f16.safetensors"))));
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openModel(test::modelFixture(QStringLiteral("bert")));
    QVERIFY(ready.wait(10000));
    QVERIFY(!w.session()->traceFile());
    QVERIFY(!w.findChild<SentenceEdit*>()->isReadOnly());
    QVERIFY(!w.session()->result()->fromFile());
    QVERIFY(!w.windowTitle().contains(QStringLiteral("trace")));
    w.setText(QStringLiteral("the road was wide"));
    QVERIFY(ready.wait(10000));
    QCOMPARE(w.session()->result()->text, QStringLiteral("the road was wide"));
}

// File > Save Trace File: the run on screen, reopened without the model, has the same heads.
void TestTraceGui::aModelRunSavesAsATrace() {
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openModel(test::modelFixture(QStringLiteral("gpt2")));
    w.setText(QStringLiteral("the animal was tired because it"));
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->result() && w.session()->result()->text == QStringLiteral("the animal was tired because it"), 10000);
    const AnalysisResultPtr run = w.session()->result();
    const QString path = m_dir.filePath(QStringLiteral("saved.safetensors"));
    QVERIFY(saveResultAsTrace(path, *run, QStringLiteral("gpt2-fixture"), QStringLiteral("gpt2")));
    auto opened = core::openTraceFile(path);
    QVERIFY2(opened, qPrintable(opened.message()));
    QCOMPARE(opened->info.model, QStringLiteral("gpt2-fixture"));
    QCOMPARE(opened->info.tokens, run->encoding.tokens);
    QVERIFY(opened->trace->hasQk() && opened->trace->hasV());
    const core::AttentionTrace& a = *run->trace;
    const core::AttentionTrace& b = *opened->trace;
    for (int l = 0; l < a.layers(); ++l)
        for (int h = 0; h < a.heads(); ++h)
            for (int i = 0; i < a.tokens() * a.tokens(); ++i)
                QCOMPARE(b.head(l, h).probs()[i], a.head(l, h).probs()[i]);
    QVERIFY(QFile::remove(path));

    // Heads switched off: the file would not say so, so it is refused.
    w.viewState()->toggleAblated(0, 1);
    QTRY_VERIFY_WITH_TIMEOUT(!w.session()->result()->ablated.empty(), 10000);
    const core::Status refused = saveResultAsTrace(path, *w.session()->result(), QStringLiteral("gpt2-fixture"), QStringLiteral("gpt2"));
    QVERIFY(!refused);
    QVERIFY(refused.message().contains(QStringLiteral("switched off")));
    QVERIFY(!QFile::exists(path));
}

QTEST_MAIN(TestTraceGui)
#include "tst_trace_gui.moc"
