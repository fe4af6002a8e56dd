// attnscope-cli's figures and images end to end: render (every view, PNG/SVG/PDF, the image view
// with every overlay), attention and rollout on a picture, and a short run of the image trainer.
#include "cli_runner.h"
#include "test_paths.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using attnscope::test::modelFixture;

namespace {

using Run = attnscope::test::CliRun;

Run run(const QStringList& args) { return attnscope::test::runCli(args); }

QJsonObject json(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

const QString kBertText = QStringLiteral("The [MASK] didn't cross the road because it was playing.");

}  // namespace

class TestCliFigures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void imageAttention();
    void render_data();
    void render();
    void renderHeadSubset();
    void renderImage_data();
    void renderImage();
    void trainVisionTeaching();

private:
    QTemporaryDir m_dir;
};

void TestCliFigures::imageAttention() {
    const QString png = m_dir.filePath("picture.png");
    QImage picture(64, 48, QImage::Format_ARGB32);
    picture.fill(QColor(200, 30, 60, 128));  // half transparent: composited on white
    QVERIFY(picture.save(png));
    const Run r = run({"attention", "--model", modelFixture("vit"), "--image", png});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("model_type").toString(), QStringLiteral("vit"));
    QCOMPARE(o.value("tokens").toArray().size(), 17);  // [CLS] + 4 x 4 patches
    QCOMPARE(o.value("tokens").toArray().at(5).toString(), QStringLiteral("p(1,0)"));
    QCOMPARE(o.value("attentions").toArray()[1].toArray()[3].toArray().size(), 17);

    const QString npy = m_dir.filePath("rollout.npy");
    QCOMPARE(run({"rollout", "--model", modelFixture("vit"), "--image", png, "--fusion", "max", "--discard", "0.5", "--out", npy}).status, 0);
    QFile f(npy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("'shape': (4, 4)"));
    const QString overlay = m_dir.filePath("rollout.png");
    QCOMPARE(run({"rollout", "--model", modelFixture("vit"), "--image", png, "--out", overlay}).status, 0);
    QCOMPARE(QImage(overlay).width(), 448);
}

void TestCliFigures::render_data() {
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("extension");
    for (const char* view : {"links", "heatmap", "grid", "qkv"})
        for (const char* ext : {"png", "svg", "pdf"}) QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(view, ext))) << view << ext;
    // The research figures go through the same export code: SVG (labels stay text) is enough here.
    for (const char* view : {"aggregate", "lens", "qkspace"}) QTest::newRow(qPrintable(QStringLiteral("%1 svg").arg(view))) << view << "svg";
}

void TestCliFigures::render() {
    QFETCH(QString, view);
    QFETCH(QString, extension);
    const QString out = m_dir.filePath(view + "." + extension);
    const Run r = run({"render", "--model", modelFixture("bert"), "--text", kBertText, "--view", view, "--layer", "1", "--head", "2",
                       "--token", "10", "--dpi", "144", "--out", out});
    QCOMPARE(r.status, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    if (extension == "png") QVERIFY(bytes.startsWith("\x89PNG"));
    if (extension == "pdf") QVERIFY(bytes.startsWith("%PDF"));
    if (extension == "svg") {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains(view == "grid" ? ">H3<" : ">road<"));  // labels stay text
        if (view == "qkv") QVERIFY(bytes.contains("softmax p_j"));
    }
}

// --only-heads draws a subset of "All heads", said in the title; the legend shows every head.
void TestCliFigures::renderHeadSubset() {
    const QString out = m_dir.filePath("subset.svg");
    const Run r = run({"render", "--model", modelFixture("bert"), "--text", kBertText, "--view", "links", "--heads", "all", "--only-heads", "1,2",
                       "--out", out});
    QCOMPARE(r.status, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("2 of 4 heads"));
    for (const char* head : {">0<", ">1<", ">2<", ">3<"}) QVERIFY2(bytes.contains(head), head);  // the legend's squares
}

void TestCliFigures::renderImage_data() {
    QTest::addColumn<QString>("overlay");
    QTest::addColumn<QString>("extension");
    for (const char* overlay : {"attention", "rollout", "dino", "heads"})
        for (const char* ext : {"png", "svg", "pdf"}) QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(overlay, ext))) << overlay << ext;
}

// The image view headless, on the built-in image teaching model (the default with --image).
void TestCliFigures::renderImage() {
    QFETCH(QString, overlay);
    QFETCH(QString, extension);
    const QString example = QStringLiteral(ATTNSCOPE_RESOURCES "/teaching-vit/examples/blue-circle.png");
    const QString out = m_dir.filePath("image-" + overlay + "." + extension);
    const Run r = run({"render", "--image", example, "--view", "image", "--overlay", overlay, "--layer", "2", "--head", "1", "--fusion",
                       "max", "--discard", "0.3", "--dpi", "144", "--out", out});
    QCOMPARE(r.status, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    if (extension == "png") {
        QVERIFY(bytes.startsWith("\x89PNG"));
        QCOMPARE(QImage::fromData(bytes).size(), QSize(640 * 2, 560 * 2));  // 640 x 560 points at 144 dpi
    }
    if (extension == "pdf") QVERIFY(bytes.startsWith("%PDF"));
    if (extension == "svg") {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("Prediction: blue"));  // the classifier's answer, as text
        if (overlay == "rollout") QVERIFY(bytes.contains("max of heads"));
        if (overlay == "heads") QVERIFY(bytes.contains(">L2<"));
    }
}

// A short run of the image trainer writes a loadable ViT folder with examples.
void TestCliFigures::trainVisionTeaching() {
    const QString dir = m_dir.filePath("vit-teaching");
    // A few steps: the whole pipeline (train, evaluate on 500 images, export) without learning much.
    const Run r = run({"train-vision-teaching", "--out", dir, "--steps", "5", "--threads", "2"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("steps").toInt(), 5);
    QCOMPARE(o.value("held_out_images").toInt(), 500);
    for (const char* key : {"accuracy", "cls_head_hit_rate", "rollout_hit_rate"}) {
        const double v = o.value(key).toDouble(-1);
        QVERIFY2(v >= 0 && v <= 1, key);
    }
    QCOMPARE(o.value("cls_head").toArray().size(), 2);
    const QStringList examples = QDir(dir + "/examples").entryList({"*.png"});
    QCOMPARE(examples.size(), 6);
    const Run a = run({"attention", "--model", dir, "--image", dir + "/examples/" + examples.first()});
    QCOMPARE(a.status, 0);
    QCOMPARE(json(a.out).value("tokens").toArray().size(), 65);  // [CLS] + 8 x 8 patches
}

QTEST_GUILESS_MAIN(TestCliFigures)
#include "tst_cli_figures.moc"
