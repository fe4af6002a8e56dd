// The image view: its painter (exact colours per patch), hit testing, hover and click on the
// widget, the options bar, the map export, and image input in the main window (bad images and a
// text model given an image show an error in place and keep what was there).
#include "export/view_export.h"
#include "model/builtin_models.h"
#include "render/view_specs.h"
#include "session/image_analysis.h"
#include "test_paths.h"
#include "widgets/image_controls.h"
#include "widgets/image_view.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QFileInfo>
#include <QComboBox>
#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope;
using namespace attnscope::ui;

namespace {

AnalysisResultPtr analyseExample(const QString& name) {
    auto model = core::loadModelFolder(core::builtinImageModelPath());
    if (!model) return nullptr;
    auto decoded = decodeImageFile(core::builtinImageModelPath() + QStringLiteral("/examples/") + name);
    if (!decoded) return nullptr;
    auto result = runImageAnalysis(*model, *decoded, name, 5);
    return result ? *result : nullptr;
}

}  // namespace

class TestImageView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void painterColoursEachPatch_data();
    void painterColoursEachPatch();
    void spotlightKeepsThePicturesColours();
    void rolloutFindsEveryExample_data();
    void rolloutFindsEveryExample();
    void everyOverlayPaints_data();
    void everyOverlayPaints();
    void hoverAndClickPatches();
    void rolloutCacheFollowsTheOptions();
    void headsOverlayFocusesAHead();
    void controlsWriteTheState();
    void mapExport_data();
    void mapExport();
    void windowOpensTheImageModel();
    void textModelRefusesAnImage();
    void sessionReopensTheImageView();

private:
    AnalysisResultPtr m_result;
    QTemporaryDir m_dir;
};

void TestImageView::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
    m_result = analyseExample(QStringLiteral("blue-circle.png"));
    QVERIFY(m_result);
    QVERIFY(m_result->isImage());
    QCOMPARE(m_result->grid, 8);
    QCOMPARE(m_result->predictions.at(0).texts.at(0), QStringLiteral("blue"));
}

void TestImageView::painterColoursEachPatch_data() {
    QTest::addColumn<int>("query");
    QTest::newRow("[CLS]") << 0;
    QTest::newRow("p(3,4)") << 1 + 3 * 8 + 4;
}

// Nearest upsampling at full opacity, tinted: the centre of each patch is exactly the colour map's
// colour of that patch's attention (scaled to the row's range over the patches).
void TestImageView::painterColoursEachPatch() {
    QFETCH(int, query);
    ViewState st;
    st.setLimits(3, 4, m_result->trace->tokens());
    st.setLayer(2);
    st.setHead(1);
    st.setPinnedToken(query);
    ImageOptions o;
    o.overlay = ImageOverlay::Attention;
    o.spotlight = false;  // tinted with the colour map
    o.opacity = 1.0f;
    o.smooth = false;
    st.setImageOptions(o);
    FigureStyle style;
    const ImageSpec spec = imageSpec(*m_result, st, style);
    QCOMPARE(spec.focusPatch, query - 1);
    QImage canvas(700, 600, QImage::Format_RGB32);
    canvas.fill(Qt::white);
    const QRectF rect(10, 10, 680, 580);
    {
        QPainter p(&canvas);
        paintImageFigure(p, rect, spec);
    }
    const ImageLayout l = imageLayout(rect, spec);
    const core::HeadMatrices head = m_result->trace->head(2, 1);
    const float* row = head.probsRow(query) + 1;
    const float mx = *std::max_element(row, row + 64), mn = *std::min_element(row, row + 64);
    const Colormap map(st.colormap());
    for (int i = 0; i < 64; ++i) {
        const QPointF centre(l.picture.left() + (i % 8 + 0.5) * l.picture.width() / 8, l.picture.top() + (i / 8 + 0.5) * l.picture.height() / 8);
        QCOMPARE(patchAt(l, spec, centre), i);
        if (i == query - 1) continue;  // outlined, but its centre is still the map colour
        const QRgb expected = map.rgb((row[i] - mn) / (mx - mn)), got = canvas.pixel(centre.toPoint());
        QVERIFY2(std::abs(qRed(got) - qRed(expected)) <= 1 && std::abs(qGreen(got) - qGreen(expected)) <= 1 &&
                     std::abs(qBlue(got) - qBlue(expected)) <= 1,
                 qPrintable(QStringLiteral("patch %1").arg(i)));
    }
    QCOMPARE(patchAt(l, spec, l.picture.topLeft() - QPointF(3, 3)), -1);
}

// The default overlay darkens what is not attended: the most attended patch shows the picture as it
// is, the others are darker in proportion, never another hue.
void TestImageView::spotlightKeepsThePicturesColours() {
    ViewState st;
    st.setLimits(3, 4, m_result->trace->tokens());
    QCOMPARE(int(st.imageOptions().overlay), int(ImageOverlay::Rollout));
    QVERIFY(st.imageOptions().spotlight);
    ImageOptions o = st.imageOptions();
    o.smooth = false;
    st.setImageOptions(o);
    const ImageSpec spec = imageSpec(*m_result, st, FigureStyle());
    QImage canvas(700, 600, QImage::Format_RGB32), bare = canvas;
    canvas.fill(Qt::white);
    bare.fill(Qt::white);
    const QRectF rect(10, 10, 680, 580);
    {
        QPainter p(&canvas);
        paintImageFigure(p, rect, spec);
        ImageSpec none = spec;
        none.map.assign(none.map.size(), 1.0f);  // nothing darkened: the picture alone
        QPainter q(&bare);
        paintImageFigure(q, rect, none);
    }
    const ImageLayout l = imageLayout(rect, spec);
    const int peak = int(std::max_element(spec.map.begin(), spec.map.end()) - spec.map.begin());
    for (int i = 0; i < 64; ++i) {
        const QPoint c(int(l.picture.left() + (i % 8 + 0.5) * l.picture.width() / 8), int(l.picture.top() + (i / 8 + 0.5) * l.picture.height() / 8));
        const QColor got = canvas.pixelColor(c), was = bare.pixelColor(c);
        if (i == peak) QCOMPARE(got, was);
        QVERIFY(got.value() <= was.value() + 1);
        // Darkening scales every channel alike: the hue of a coloured pixel is kept.
        if (was.hsvSaturation() > 60 && got.value() > 40) QVERIFY2(std::abs(got.hsvHue() - was.hsvHue()) <= 4, qPrintable(QStringLiteral("patch %1").arg(i)));
    }
}

void TestImageView::rolloutFindsEveryExample_data() {
    QTest::addColumn<QString>("example");
    for (const QString& path : core::builtinImageExamples()) QTest::newRow(qPrintable(QFileInfo(path).fileName())) << QFileInfo(path).fileName();
}

// What the view opens on finds the object in every shipped example: the patch the rollout peaks on
// is coloured (the shape), not the grey background.
void TestImageView::rolloutFindsEveryExample() {
    QFETCH(QString, example);
    const AnalysisResultPtr r = analyseExample(example);
    QVERIFY(r);
    const std::vector<float> map = core::clsRolloutMap(*r->trace, core::HeadFusion::Mean, 0.0f);
    const int peak = int(std::max_element(map.begin(), map.end()) - map.begin());
    const QImage picture = r->picture->scaled(r->grid * 16, r->grid * 16);
    int coloured = 0;
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) coloured += picture.pixelColor((peak % r->grid) * 16 + x, (peak / r->grid) * 16 + y).hsvSaturation() > 80;
    QVERIFY2(coloured >= 16, qPrintable(QStringLiteral("peak patch %1 has %2 of 256 coloured pixels").arg(peak).arg(coloured)));
}

void TestImageView::everyOverlayPaints_data() {
    QTest::addColumn<int>("overlay");
    QTest::addColumn<bool>("smooth");
    for (int o = 0; o < 4; ++o)
        for (bool smooth : {true, false}) QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(o).arg(smooth))) << o << smooth;
}

// Each overlay changes the picture, and differently from the others.
void TestImageView::everyOverlayPaints() {
    QFETCH(int, overlay);
    QFETCH(bool, smooth);
    ViewState st;
    st.setLimits(3, 4, m_result->trace->tokens());
    auto render = [&](ImageOverlay which, float opacity) {
        ImageOptions o;
        o.overlay = which;
        o.smooth = smooth;
        o.opacity = opacity;
        st.setImageOptions(o);
        QImage canvas(500, 420, QImage::Format_RGB32);
        canvas.fill(Qt::white);
        QPainter p(&canvas);
        paintImageFigure(p, QRectF(0, 0, 500, 420), imageSpec(*m_result, st, FigureStyle{}));
        return canvas;
    };
    const QImage plain = render(ImageOverlay::Attention, 0.0f);
    const QImage shown = render(ImageOverlay(overlay), 0.7f);
    QVERIFY(shown != plain);
    if (ImageOverlay(overlay) != ImageOverlay::Attention) QVERIFY(shown != render(ImageOverlay::Attention, 0.7f));
}

void TestImageView::hoverAndClickPatches() {
    ViewState st;
    ImageView view(&st);
    view.resize(700, 600);
    st.setLimits(3, 4, m_result->trace->tokens());
    view.setResult(m_result);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const ImageSpec spec = imageSpec(*m_result, st, view.figureStyle());
    const ImageLayout l = imageLayout(QRectF(view.rect()).adjusted(8, 8, -8, -8), spec);
    auto centre = [&](int r, int c) {
        return QPointF(l.picture.left() + (c + 0.5) * l.picture.width() / 8, l.picture.top() + (r + 0.5) * l.picture.height() / 8).toPoint();
    };
    QTest::mouseMove(&view, centre(2, 5));
    QCOMPARE(st.hoveredToken(), 1 + 2 * 8 + 5);
    QTest::mouseClick(&view, Qt::LeftButton, {}, centre(6, 1));
    QCOMPARE(st.pinnedToken(), 1 + 6 * 8 + 1);
    QCOMPARE(m_result->labels.at(st.pinnedToken()), QStringLiteral("p(6,1)"));
    QTest::keyClick(&view, Qt::Key_Escape);
    QCOMPARE(st.pinnedToken(), -1);
}

// The view keeps the last rollout; changing fusion or discard, or the result, recomputes it.
void TestImageView::rolloutCacheFollowsTheOptions() {
    ViewState st;
    st.setLimits(3, 4, m_result->trace->tokens());
    ImageView view(&st);
    view.setResult(m_result);
    auto viaView = [&] {
        QImage img(500, 420, QImage::Format_RGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        view.paintFigure(p, QRectF(0, 0, 500, 420), FigureStyle{});
        return img;
    };
    auto direct = [&](const AnalysisResult& r) {
        QImage img(500, 420, QImage::Format_RGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        paintImageFigure(p, QRectF(0, 0, 500, 420), imageSpec(r, st, FigureStyle{}));
        return img;
    };
    ImageOptions o;
    o.overlay = ImageOverlay::Rollout;
    for (float discard : {0.0f, 0.6f}) {
        for (core::HeadFusion fusion : {core::HeadFusion::Mean, core::HeadFusion::Min}) {
            o.discard = discard;
            o.fusion = fusion;
            st.setImageOptions(o);
            QCOMPARE(viaView(), direct(*m_result));
        }
    }
    const AnalysisResultPtr other = analyseExample(QStringLiteral("red-circle.png"));
    QVERIFY(other);
    view.setResult(other);
    QCOMPARE(viaView(), direct(*other));
}

void TestImageView::headsOverlayFocusesAHead() {
    ViewState st;
    ImageView view(&st);
    view.resize(800, 640);
    st.setLimits(3, 4, m_result->trace->tokens());
    ImageOptions o;
    o.overlay = ImageOverlay::Heads;
    st.setImageOptions(o);
    view.setResult(m_result);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const ImageLayout l = imageLayout(QRectF(view.rect()).adjusted(8, 8, -8, -8), imageSpec(*m_result, st, view.figureStyle()));
    QCOMPARE(l.layers, 3);
    QCOMPARE(l.heads, 4);
    QSignalSpy activated(&view, &ImageView::headActivated);
    QTest::mouseClick(&view, Qt::LeftButton, {}, l.thumbnail(2, 3).center().toPoint());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(st.layer(), 2);
    QCOMPARE(st.head(), 3);
}

void TestImageView::controlsWriteTheState() {
    ViewState st;
    ImageControls controls(&st);
    auto* overlay = controls.findChild<QComboBox*>(QStringLiteral("imageOverlay"));
    auto* opacity = controls.findChild<QSlider*>(QStringLiteral("imageOpacity"));
    QVERIFY(overlay && opacity);
    overlay->setCurrentIndex(int(ImageOverlay::Rollout));
    QCOMPARE(st.imageOptions().overlay, ImageOverlay::Rollout);
    opacity->setValue(25);
    QCOMPARE(st.imageOptions().opacity, 0.25f);
    ImageOptions o = st.imageOptions();
    o.overlay = ImageOverlay::Dino;
    st.setImageOptions(o);
    QCOMPARE(overlay->currentIndex(), int(ImageOverlay::Dino));  // the bar follows the state
}

void TestImageView::mapExport_data() {
    QTest::addColumn<int>("overlay");
    QTest::newRow("attention") << int(ImageOverlay::Attention);
    QTest::newRow("rollout") << int(ImageOverlay::Rollout);
    QTest::newRow("dino") << int(ImageOverlay::Dino);
}

void TestImageView::mapExport() {
    QFETCH(int, overlay);
    ViewState st;
    st.setLimits(3, 4, m_result->trace->tokens());
    st.setLayer(2);
    st.setHead(1);
    ImageOptions o;
    o.overlay = ImageOverlay(overlay);
    o.discard = 0.2f;
    st.setImageOptions(o);
    std::vector<float> expected;
    if (o.overlay == ImageOverlay::Rollout) expected = core::clsRolloutMap(*m_result->trace, core::HeadFusion::Mean, 0.2f);
    else if (o.overlay == ImageOverlay::Dino) {
        const auto mask = core::dinoMask(*m_result->trace, 2, 1, o.keep);
        expected.assign(mask.begin(), mask.end());
    } else {
        const core::HeadMatrices head = m_result->trace->head(2, 1);
        const float* row = head.probs() + 1;  // [CLS] row
        expected.assign(row, row + 64);
    }
    const QString npy = m_dir.filePath(QStringLiteral("map%1.npy").arg(overlay));
    QVERIFY(exportImageMap(npy, *m_result, st));
    QFile f(npy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("'shape': (8, 8)"));
    const int header = 10 + (uchar(bytes[8]) | (uchar(bytes[9]) << 8));
    QCOMPARE(bytes.size(), header + 64 * 4);
    QCOMPARE(std::memcmp(bytes.constData() + header, expected.data(), 64 * 4), 0);
    const QString csv = m_dir.filePath(QStringLiteral("map%1.csv").arg(overlay));
    QVERIFY(exportImageMap(csv, *m_result, st));
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    QCOMPARE(c.readAll().count('\n'), 8);
    QVERIFY(!exportImageMap(m_dir.filePath(QStringLiteral("map.txt")), *m_result, st));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("map.txt"))));
}

void TestImageView::windowOpensTheImageModel() {
    MainWindow w;
    w.resize(1300, 850);
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinImageModel();
    QVERIFY(ready.wait(10000));
    QVERIFY(w.session()->result()->isImage());
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("image"));
    QVERIFY(w.errorText().isEmpty());
    // Opens on the head the model ships as the one that finds the object.
    QCOMPARE(std::make_pair(w.viewState()->layer(), w.viewState()->head()), *w.session()->model()->config().clsHead);
    // Another example replaces the picture.
    w.openImage(core::builtinImageExamples().last());
    QVERIFY(ready.wait(10000));
    QCOMPARE(w.session()->result()->text, QFileInfo(core::builtinImageExamples().last()).fileName());
    // The other views take the patches as tokens.
    w.showView(QStringLiteral("heatmap"));
    QCOMPARE(w.currentFigure()->result()->encoding.size(), 65);
}

void TestImageView::textModelRefusesAnImage() {
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinModel();
    QVERIFY(ready.wait(10000));
    const AnalysisResultPtr before = w.session()->result();
    QVERIFY(!before->isImage());
    w.openImage(core::builtinImageExamples().first());
    QTRY_VERIFY2(w.errorText().contains(QStringLiteral("is a text model and cannot read images")), qPrintable(w.errorText()));
    QCOMPARE(w.session()->result(), before);
    QVERIFY(!w.findChild<QTabWidget*>(QStringLiteral("views"))->isTabVisible(0));  // no image tab for a text model
    // And the reverse: the image model keeps its picture when text is typed into a session.
    w.openBuiltinImageModel();
    QVERIFY(ready.wait(10000));
    QVERIFY(w.session()->result()->isImage());
    QVERIFY(w.findChild<QTabWidget*>(QStringLiteral("views"))->isTabVisible(0));
}

void TestImageView::sessionReopensTheImageView() {
    const QString path = m_dir.filePath(QStringLiteral("image.attnscope"));
    {
        MainWindow w;
        w.show();
        QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
        w.openBuiltinImageModel();
        QVERIFY(ready.wait(10000));
        w.openImage(core::builtinImageExamples().at(2));
        QVERIFY(ready.wait(10000));
        ImageOptions o;
        o.overlay = ImageOverlay::Rollout;
        o.fusion = core::HeadFusion::Max;
        o.discard = 0.4f;
        o.opacity = 0.8f;
        o.smooth = false;
        w.viewState()->setImageOptions(o);
        w.viewState()->setLayer(1);
        w.viewState()->setHead(3);
        QVERIFY(saveSession(path, w.currentSession()));
    }
    MainWindow w;
    w.show();
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openSession(path);
    QVERIFY(ready.wait(10000));
    QCOMPARE(w.session()->result()->imagePath, core::builtinImageExamples().at(2));
    QCOMPARE(w.viewState()->imageOptions().overlay, ImageOverlay::Rollout);
    QCOMPARE(w.viewState()->imageOptions().fusion, core::HeadFusion::Max);
    QCOMPARE(w.viewState()->imageOptions().discard, 0.4f);
    QCOMPARE(w.viewState()->imageOptions().smooth, false);
    QCOMPARE(w.viewState()->layer(), 1);
    QCOMPARE(w.viewState()->head(), 3);
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("image"));
}

QTEST_MAIN(TestImageView)
#include "tst_image_view.moc"
