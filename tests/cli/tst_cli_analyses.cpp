// attnscope-cli's research analyses end to end: attention --include norms, --ablate on attention,
// predict and lens, the logit lens, and compare (JSON and figures), with their bad input.
#include "cli_runner.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using attnscope::test::modelFixture;

namespace {

using Run = attnscope::test::CliRun;
Run run(const QStringList& args) { return attnscope::test::runCli(args); }
QJsonObject json(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

const QString kTired = QStringLiteral("The animal didn't cross the road because it was tired.");
const QString kWide = QStringLiteral("The animal didn't cross the road because it was wide.");

}  // namespace

class TestCliAnalyses : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void norms();
    void ablation();
    void lens();
    void compareJson();
    void compareFigures_data();
    void compareFigures();
    void valueWeightedFigure();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_dir;
};

void TestCliAnalyses::norms() {
    const Run r = run({"attention", "--model", modelFixture("gpt2"), "--text", kTired, "--include", "norms", "--layers", "1"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    const QJsonArray att = o.value("attentions").toArray(), norms = o.value("norms").toArray();
    QCOMPARE(norms.size(), 1);
    QCOMPARE(norms[0].toArray().size(), 4);
    // norm_ij / a_ij is the same for every query i (it is ||f(x_j)||): check on head 2, key 0.
    const QJsonArray a = att[0].toArray()[2].toArray(), n = norms[0].toArray()[2].toArray();
    const double ratio = n[3].toArray()[0].toDouble() / a[3].toArray()[0].toDouble();
    for (int i = 1; i < a.size(); ++i)
        QVERIFY(std::abs(n[i].toArray()[0].toDouble() / a[i].toArray()[0].toDouble() - ratio) < 1e-4 * ratio);
    // Masked (future) keys have zero weight and zero norm.
    QCOMPARE(n[0].toArray()[5].toDouble(), 0.0);
    QVERIFY(!json(run({"attention", "--model", modelFixture("gpt2"), "--text", kTired}).out).contains("norms"));
}

void TestCliAnalyses::ablation() {
    const Run plain = run({"predict", "--model", modelFixture("gpt2"), "--text", kTired, "--top", "1"});
    const Run off = run({"predict", "--model", modelFixture("gpt2"), "--text", kTired, "--top", "1", "--ablate", "0:0,0:1,0:2,0:3"});
    QCOMPARE(plain.status, 0);
    QCOMPARE(off.status, 0);
    const QJsonObject p = json(plain.out), o = json(off.out);
    QVERIFY(!p.contains("ablated"));
    QCOMPARE(o.value("ablated").toArray().size(), 4);
    QCOMPARE(o.value("ablated").toArray()[2].toArray(), QJsonArray({0, 2}));
    const double before = p.value("predictions").toArray()[0].toObject().value("top").toArray()[0].toObject().value("probability").toDouble();
    const double after = o.value("predictions").toArray()[0].toObject().value("top").toArray()[0].toObject().value("probability").toDouble();
    QVERIFY2(std::abs(before - after) > 1e-4, "switching every head of layer 0 off changed nothing");
    // attention --ablate: layer 0 unchanged, layer 1 changed, and the file says which heads were off.
    const QJsonObject a = json(run({"attention", "--model", modelFixture("gpt2"), "--text", kTired}).out);
    const QJsonObject b = json(run({"attention", "--model", modelFixture("gpt2"), "--text", kTired, "--ablate", "0:1"}).out);
    QJsonArray ablated;  // [[0, 1]] built explicitly: one nested braced list reads as a copy under Clang
    ablated.append(QJsonArray{0, 1});
    QCOMPARE(b.value("ablated").toArray(), ablated);
    auto weight = [](const QJsonObject& x, int l) { return x.value("attentions").toArray()[l].toArray()[0].toArray()[6].toArray()[2].toDouble(); };
    QVERIFY(std::abs(weight(a, 0) - weight(b, 0)) < 1e-6);
    QVERIFY(std::abs(weight(a, 1) - weight(b, 1)) > 1e-5);
}

void TestCliAnalyses::lens() {
    const Run r = run({"lens", "--model", modelFixture("gpt2"), "--text", kTired, "--top", "2"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    const int n = o.value("tokens").toArray().size();
    const QJsonArray layers = o.value("layers").toArray();
    QCOMPARE(layers.size(), 3);  // embeddings + 2 layers
    QCOMPARE(layers[1].toArray().size(), n);
    const QJsonArray cell = layers[2].toArray()[n - 1].toArray();
    QCOMPARE(cell.size(), 2);
    QVERIFY(cell[0].toObject().value("prob").toDouble() >= cell[1].toObject().value("prob").toDouble());
    // The last layer is the model's own prediction.
    const QJsonObject p = json(run({"predict", "--model", modelFixture("gpt2"), "--text", kTired, "--top", "1"}).out);
    QCOMPARE(cell[0].toObject().value("id").toInt(), p.value("predictions").toArray()[0].toObject().value("top").toArray()[0].toObject().value("id").toInt());
    const Run table = run({"lens", "--model", modelFixture("bert"), "--text", "the animal was tired", "--format", "table"});
    QCOMPARE(table.status, 0);
    QVERIFY(table.out.startsWith("layer "));
    QCOMPARE(table.out.count('\n'), 1 + 3);
}

void TestCliAnalyses::compareJson() {
    const Run r = run({"compare", "--text", kTired, "--text-b", kWide, "--layer", "2", "--head", "0"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    const QJsonArray ta = o.value("tokens_a").toArray(), tb = o.value("tokens_b").toArray();
    QCOMPARE(ta.size(), tb.size());
    const int it = int(ta.toVariantList().indexOf(QStringLiteral("it")));
    const int animal = int(ta.toVariantList().indexOf(QStringLiteral("animal")));
    const int road = int(ta.toVariantList().indexOf(QStringLiteral("road")));
    QVERIFY(it > 0 && animal > 0 && road > 0);
    const QJsonArray diff = o.value("diff").toArray();
    // The teaching model's coreference head: "it" moves from "animal" (tired) to "road" (wide).
    QVERIFY(diff[it].toArray()[road].toDouble() > 0.3);
    QVERIFY(diff[it].toArray()[animal].toDouble() < -0.3);
    const double a = o.value("a").toArray()[it].toArray()[road].toDouble(), b = o.value("b").toArray()[it].toArray()[road].toDouble();
    QVERIFY(std::abs(diff[it].toArray()[road].toDouble() - (b - a)) < 1e-6);
    // Unset head: the one that changes most, which is that head.
    const QJsonObject most = json(run({"compare", "--text", kTired, "--text-b", kWide}).out);
    QCOMPARE(most.value("layer").toInt(), 2);
    // Different lengths: aligned by the common tokens, with nulls in the gaps.
    const QJsonObject gaps = json(run({"compare", "--text", "the road was wide .", "--text-b", "the road was very wide ."}).out);
    const QJsonArray al = gaps.value("alignment").toArray();
    QCOMPARE(al.size(), gaps.value("tokens_b").toArray().size());
    int nulls = 0;
    for (const auto& pair : al) nulls += pair.toArray()[0].isNull();
    QCOMPARE(nulls, 1);
}

void TestCliAnalyses::compareFigures_data() {
    QTest::addColumn<QString>("ext");
    QTest::addColumn<QByteArray>("magic");
    QTest::newRow("png") << "png" << QByteArray("\x89PNG");
    QTest::newRow("svg") << "svg" << QByteArray("<?xml");
    QTest::newRow("pdf") << "pdf" << QByteArray("%PDF");
    QTest::newRow("json file") << "json" << QByteArray("{\"model_type\"");
}

void TestCliAnalyses::compareFigures() {
    QFETCH(QString, ext);
    QFETCH(QByteArray, magic);
    const QString path = m_dir.filePath("compare." + ext);
    const Run r = run({"compare", "--text", kTired, "--text-b", kWide, "--out", path});
    QVERIFY2(r.status == 0, r.err.constData());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith(magic));
    if (ext == "svg") QVERIFY(bytes.contains("tired → wide"));  // labels stay text
}

void TestCliAnalyses::badInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString g = modelFixture("gpt2");
    QTest::newRow("ablate syntax") << QStringList{"predict", "--model", g, "--text", "a", "--ablate", "1-2"} << "--ablate: '1-2' is not LAYER:HEAD";
    QTest::newRow("ablate head range") << QStringList{"attention", "--model", g, "--text", "a", "--ablate", "0:4"} << "head 4 is out of range";
    QTest::newRow("ablate empty") << QStringList{"predict", "--model", g, "--text", "a", "--ablate", ","} << "at least one";
    QTest::newRow("include unknown") << QStringList{"attention", "--model", g, "--text", "a", "--include", "normz"} << "unknown part 'normz'";
    QTest::newRow("lens top") << QStringList{"lens", "--model", g, "--text", "a", "--top", "0"} << "--top";
    QTest::newRow("lens format") << QStringList{"lens", "--model", g, "--text", "a", "--format", "csv"} << "--format must be json or table";
    QTest::newRow("lens no text") << QStringList{"lens", "--model", g} << "--text";
    QTest::newRow("lens image model") << QStringList{"lens", "--model", modelFixture("vit"), "--text", "a"} << "image model";
    QTest::newRow("lens no head") << QStringList{"lens", "--model", modelFixture("bert-gamma-beta"), "--text", "a"} << "no language-model head";
    QTest::newRow("compare one text") << QStringList{"compare", "--text", "a"} << "give both --text A and --text-b B";
    QTest::newRow("compare layer alone") << QStringList{"compare", "--text", "a", "--text-b", "b", "--layer", "1"} << "together";
    QTest::newRow("compare layer range") << QStringList{"compare", "--text", "a", "--text-b", "b", "--layer", "9", "--head", "0"} << "--layer";
    QTest::newRow("compare format") << QStringList{"compare", "--text", "a", "--text-b", "b", "--out", "x.bmp"} << "--out must end in";
    QTest::newRow("render aggregate") << QStringList{"render", "--text", "a", "--view", "aggregate", "--aggregate", "sum", "--out", "x.png"} << "--aggregate must be mean, max or rollout";
    QTest::newRow("render projection") << QStringList{"render", "--text", "a", "--view", "qkspace", "--projection", "umap", "--out", "x.png"} << "--projection must be pca or tsne";
    QTest::newRow("render weights") << QStringList{"render", "--text", "a", "--view", "links", "--weights", "norms", "--out", "x.png"} << "--weights must be attention or value-norms";
    QTest::newRow("render lens no head") << QStringList{"render", "--model", modelFixture("bert-gamma-beta"), "--text", "a", "--view", "lens", "--out", "x.png"} << "no language-model head";
    QTest::newRow("render ablate") << QStringList{"render", "--text", "a", "--view", "links", "--ablate", "9:9", "--out", "x.png"} << "layer 9 is out of range";
    QTest::newRow("compare empty b") << QStringList{"compare", "--text", "a", "--text-b", ""} << "--text-b: the text is empty";
}

void TestCliAnalyses::valueWeightedFigure() {
    const QString out = m_dir.filePath("vw.svg");
    const Run r = run({"render", "--text", kTired, "--view", "heatmap", "--layer", "2", "--weights", "value-norms", "--ablate", "1:1", "--out", out});
    QVERIFY2(r.status == 0, r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QVERIFY(svg.contains("value-weighted norms"));
    QVERIFY(svg.contains("1 head off"));
}

void TestCliAnalyses::badInput() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.status, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliAnalyses)
#include "tst_cli_analyses.moc"
