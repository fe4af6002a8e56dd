// Trace files through the CLI, end to end: attention --save-trace writes a run, and heads, rollout,
// compare and render --trace read it back to the same numbers the model gives (every family, each
// thing a trace can hold, each number type); layer subsets, images, what a trace cannot show, and
// bad usage (one line on stderr, exit 2).
#include "cli_runner.h"
#include "test_paths.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

using Run = attnscope::test::CliRun;
using attnscope::test::runCli;

const QString kTextA = QStringLiteral("the animal didn't cross the road because it was tired");
const QString kTextB = QStringLiteral("the animal didn't cross the road because it was wide");

QString fixture(const QString& name) { return QStringLiteral(ATTNSCOPE_FIXTURES "/") + name; }

QJsonValue parse(const QByteArray& bytes) {
    const QJsonDocument d = QJsonDocument::fromJson(bytes);
    return d.isObject() ? QJsonValue(d.object()) : QJsonValue(d.array());
}

// The first place where a and b differ by more than tol (numbers) or at all (anything else); empty
// when they agree. Keys in skip are left out on both sides.
QString difference(const QJsonValue& a, const QJsonValue& b, double tol, const QString& at = QStringLiteral("$"),
                   const QStringList& skip = {}) {
    if (a.isDouble() && b.isDouble())
        return std::abs(a.toDouble() - b.toDouble()) <= tol ? QString()
                                                            : QStringLiteral("%1: %2 against %3").arg(at).arg(a.toDouble()).arg(b.toDouble());
    if (a.type() != b.type()) return at + QStringLiteral(": types differ");
    if (a.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size()) return QStringLiteral("%1: %2 items against %3").arg(at).arg(x.size()).arg(y.size());
        for (int i = 0; i < x.size(); ++i)
            if (QString d = difference(x[i], y[i], tol, QStringLiteral("%1[%2]").arg(at).arg(i), skip); !d.isEmpty()) return d;
        return QString();
    }
    if (a.isObject()) {
        QJsonObject x = a.toObject(), y = b.toObject();
        for (const QString& k : skip) {
            x.remove(k);
            y.remove(k);
        }
        if (x.keys() != y.keys()) return at + QStringLiteral(": keys differ");
        for (const QString& k : x.keys())
            if (QString d = difference(x.value(k), y.value(k), tol, at + QLatin1Char('.') + k, skip); !d.isEmpty()) return d;
        return QString();
    }
    return a == b ? QString() : at + QStringLiteral(": differs");
}

// The largest |diff| in a compare output.
double largestChange(const QByteArray& out) {
    double most = -1;
    for (const QJsonValue& row : parse(out).toObject().value("diff").toArray())
        for (const QJsonValue& x : row.toArray()) most = std::max(most, std::abs(x.toDouble()));
    return most;
}

#define CLI_OK(r) QVERIFY2((r).status == 0, (r).err.constData())
#define CLI_REFUSES(r, message)                                                                     \
    do {                                                                                            \
        QCOMPARE((r).status, 2);                                                                    \
        QVERIFY2((r).err.contains(QString(message).toUtf8()), (r).err.constData());                 \
        QCOMPARE((r).err.count('\n'), 1);                                                           \
        QVERIFY((r).out.isEmpty());                                                                 \
    } while (false)

}  // namespace

class TestCliTraces : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameAsTheModel_data();
    void sameAsTheModel();
    void layerSubset();
    void renders_data();
    void renders();
    void image();
    void badInput_data();
    void badInput();

private:
    QString save(const QString& model, const QString& text, const QString& name, const QStringList& extra = {});
    QTemporaryDir m_dir;
};

QString TestCliTraces::save(const QString& model, const QString& text, const QString& name, const QStringList& extra) {
    const QString path = m_dir.filePath(name);
    const Run r = runCli(QStringList{"attention", "--model", model, "--text", text, "--save-trace", path} + extra);
    if (r.status != 0) qWarning("%s", r.err.constData());
    return r.status == 0 && r.out.isEmpty() ? path : QString();
}

void TestCliTraces::sameAsTheModel_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("holds");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<double>("tol");
    QTest::newRow("bert matrices f32") << "models/bert" << "matrices" << "f32" << 0.0;
    QTest::newRow("bert qk f32") << "models/bert" << "qk" << "f32" << 1e-5;
    QTest::newRow("roberta everything f32") << "models/roberta" << "matrices,qk,v,hidden" << "f32" << 0.0;
    QTest::newRow("gpt2 matrices f16") << "models/gpt2" << "matrices" << "f16" << 5e-3;
    QTest::newRow("llama qk f32") << "decoders/llama" << "qk" << "f32" << 1e-5;
    QTest::newRow("mistral window qk,v f32") << "decoders/mistral-window" << "qk,v" << "f32" << 1e-5;
    QTest::newRow("gemma3 qk bf16") << "decoders/gemma3" << "qk" << "bf16" << 3e-2;
    QTest::newRow("qwen3 matrices bf16") << "decoders/qwen3" << "matrices" << "bf16" << 3e-2;
}

// heads, rollout and compare read from trace files give what they give running the model.
void TestCliTraces::sameAsTheModel() {
    QFETCH(QString, model);
    QFETCH(QString, holds);
    QFETCH(QString, dtype);
    QFETCH(double, tol);
    const QString dir = fixture(model);
    const QString a = save(dir, kTextA, QTest::currentDataTag() + QStringLiteral("-a.safetensors"),
                           {"--trace-holds", holds, "--trace-dtype", dtype});
    const QString b = save(dir, kTextB, QTest::currentDataTag() + QStringLiteral("-b.safetensors"),
                           {"--trace-holds", holds, "--trace-dtype", dtype});
    QVERIFY(!a.isEmpty() && !b.isEmpty());

    const Run fromTrace = runCli({"heads", "--trace", a});
    const Run fromModel = runCli({"heads", "--model", dir, "--text", kTextA});
    CLI_OK(fromTrace);
    CLI_OK(fromModel);
    // Entropies sum -p log p over n weights: their error grows with the weights' own.
    QString d = difference(parse(fromTrace.out), parse(fromModel.out), 4 * tol + 1e-5, "$", {"model"});
    QVERIFY2(d.isEmpty(), qPrintable("heads: " + d));
    QVERIFY(parse(fromTrace.out).toObject().value("model").toString().size() > 0);

    const Run rolledTrace = runCli({"rollout", "--trace", a});
    const Run rolledModel = runCli({"rollout", "--model", dir, "--text", kTextA});
    CLI_OK(rolledTrace);
    CLI_OK(rolledModel);
    d = difference(parse(rolledTrace.out), parse(rolledModel.out), 4 * tol + 1e-5);
    QVERIFY2(d.isEmpty(), qPrintable("rollout: " + d));

    for (const QStringList& head : {QStringList{"--layer", "0", "--head", "1"}, QStringList{"--layer", "1", "--head", "0"}}) {
        const Run comparedTrace = runCli(QStringList{"compare", "--trace", a, "--trace-b", b} + head);
        const Run comparedModel = runCli(QStringList{"compare", "--model", dir, "--text", kTextA, "--text-b", kTextB} + head);
        CLI_OK(comparedTrace);
        CLI_OK(comparedModel);
        d = difference(parse(comparedTrace.out), parse(comparedModel.out), 4 * tol + 1e-5, "$", {"model"});
        QVERIFY2(d.isEmpty(), qPrintable("compare " + head.join(' ') + ": " + d));
    }
    // The head that changes most: two runs of a model agree to the last bit only in the same process
    // (BLAS blocking follows the buffers' addresses), so where heads nearly tie either may be picked;
    // what must agree is how much the picked head changes.
    const Run pickedTrace = runCli({"compare", "--trace", a, "--trace-b", b});
    const Run pickedModel = runCli({"compare", "--model", dir, "--text", kTextA, "--text-b", kTextB});
    CLI_OK(pickedTrace);
    CLI_OK(pickedModel);
    QVERIFY2(std::abs(largestChange(pickedTrace.out) - largestChange(pickedModel.out)) <= 4 * tol + 1e-5,
             qPrintable(QStringLiteral("%1 against %2").arg(largestChange(pickedTrace.out)).arg(largestChange(pickedModel.out))));
}

// A trace of some layers: heads names the model's own layers; rollout, which needs them all, says so.
void TestCliTraces::layerSubset() {
    const QString dir = fixture("models/bert");
    const QString part = save(dir, kTextA, "bert-layer1.safetensors", {"--layers", "1"});
    QVERIFY(!part.isEmpty());
    const Run fromTrace = runCli({"heads", "--trace", part});
    const Run fromModel = runCli({"heads", "--model", dir, "--text", kTextA});
    CLI_OK(fromTrace);
    CLI_OK(fromModel);
    const QJsonArray some = parse(fromTrace.out).toObject().value("heads").toArray();
    const QJsonArray all = parse(fromModel.out).toObject().value("heads").toArray();
    QCOMPARE(some.size(), 4);
    for (int h = 0; h < 4; ++h) {
        QCOMPARE(some[h].toObject().value("layer").toInt(), 1);
        const QString d = difference(some[h], all[4 + h], 1e-5);
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }
    CLI_REFUSES(runCli({"rollout", "--trace", part}), "rollout combines every layer; this trace holds 1 of the model's 2");
    const QString svg = m_dir.filePath("layer1.svg");
    CLI_OK(runCli({"render", "--trace", part, "--view", "heatmap", "--layer", "1", "--head", "2", "--out", svg}));
    CLI_REFUSES(runCli({"render", "--trace", part, "--view", "heatmap", "--layer", "0", "--out", svg}), "layer 0");
}

void TestCliTraces::renders_data() {
    QTest::addColumn<QString>("holds");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("refusal");
    QTest::newRow("links") << "matrices" << QStringList{"--view", "links", "--token", "8"} << QString();
    QTest::newRow("heatmap") << "qk" << QStringList{"--view", "heatmap", "--layer", "1", "--head", "3"} << QString();
    QTest::newRow("grid") << "qk" << QStringList{"--view", "grid"} << QString();
    QTest::newRow("aggregate rollout") << "matrices" << QStringList{"--view", "aggregate", "--aggregate", "rollout"} << QString();
    QTest::newRow("qkspace") << "qk" << QStringList{"--view", "qkspace"} << QString();
    QTest::newRow("qkspace without q and k") << "matrices" << QStringList{"--view", "qkspace"} << "needs q and k";
    QTest::newRow("qkv") << "matrices,qk,v" << QStringList{"--view", "qkv"} << "Open the model itself";
    QTest::newRow("lens") << "matrices,hidden" << QStringList{"--view", "lens"} << "open the model itself";
    QTest::newRow("image of a text") << "matrices" << QStringList{"--view", "image"} << "is of a text, not a picture";
}

// Figures from a trace: the views its contents allow, and a plain refusal for the rest.
void TestCliTraces::renders() {
    QFETCH(QString, holds);
    QFETCH(QStringList, args);
    QFETCH(QString, refusal);
    const QString trace = save(fixture("decoders/llama"), kTextA, QTest::currentDataTag() + QStringLiteral(".safetensors"),
                               {"--trace-holds", holds});
    QVERIFY(!trace.isEmpty());
    const QString out = m_dir.filePath(QTest::currentDataTag() + QStringLiteral(".svg"));
    const Run r = runCli(QStringList{"render", "--trace", trace, "--out", out} + args);
    if (!refusal.isEmpty()) {
        CLI_REFUSES(r, refusal);
        QVERIFY(!QFile::exists(out));
        return;
    }
    CLI_OK(r);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QVERIFY(svg.contains("<svg"));
    QVERIFY2(svg.contains("animal"), "the figure names the trace's tokens");
}

// A vision transformer's run: rollout from the trace equals rollout from the model, and the image
// view draws the picture the trace holds.
void TestCliTraces::image() {
    QImage picture(64, 48, QImage::Format_RGB32);
    for (int y = 0; y < picture.height(); ++y)
        for (int x = 0; x < picture.width(); ++x) picture.setPixel(x, y, qRgb(4 * x, 5 * y, (x * y) % 256));
    const QString png = m_dir.filePath("picture.png");
    QVERIFY(picture.save(png));
    const QString dir = fixture("models/vit");
    const QString trace = m_dir.filePath("vit.safetensors");
    CLI_OK(runCli({"attention", "--model", dir, "--image", png, "--save-trace", trace}));
    const Run fromTrace = runCli({"rollout", "--trace", trace, "--format", "json"});
    const Run fromModel = runCli({"rollout", "--model", dir, "--image", png, "--format", "json"});
    CLI_OK(fromTrace);
    CLI_OK(fromModel);
    const QString d = difference(parse(fromTrace.out), parse(fromModel.out), 1e-5);
    QVERIFY2(d.isEmpty(), qPrintable(d));
    QCOMPARE(parse(fromTrace.out).toObject().value("tokens").toArray().size(), 17);  // [CLS] + 4 x 4 patches

    // The figure draws the trace's own picture under the overlay (no predictions: no model ran).
    const QString figure = m_dir.filePath("from-trace.svg");
    CLI_OK(runCli({"render", "--trace", trace, "--view", "image", "--overlay", "rollout", "--out", figure}));
    QFile f(figure);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QVERIFY(svg.contains("<image"));
    QVERIFY(svg.contains("Attention rollout from [CLS]"));
    QVERIFY(!svg.contains("Prediction"));
}

void TestCliTraces::badInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString bert = fixture("models/bert");
    QTest::newRow("trace and model") << QStringList{"heads", "--trace", "@good", "--model", bert} << "give it without --model";
    QTest::newRow("trace and text") << QStringList{"rollout", "--trace", "@good", "--text", "a"} << "--trace";
    QTest::newRow("missing trace") << QStringList{"heads", "--trace", "/nonexistent/t.safetensors"} << "cannot open";
    QTest::newRow("not a trace") << QStringList{"heads", "--trace", bert + "/model.safetensors"} << "trace";
    QTest::newRow("truncated trace") << QStringList{"heads", "--trace", "@truncated"} << "truncated or corrupt";
    QTest::newRow("compare without B") << QStringList{"compare", "--trace", "@good"} << "give both --trace A and --trace-b B";
    QTest::newRow("compare with text") << QStringList{"compare", "--trace", "@good", "--trace-b", "@good", "--text", "x"}
                                       << "give both --trace A and --trace-b B";
    QTest::newRow("unknown holds") << QStringList{"attention", "--model", bert, "--text", "a", "--save-trace", "@out", "--trace-holds", "foo"}
                                   << "--trace-holds: unknown part 'foo'";
    QTest::newRow("holds nothing") << QStringList{"attention", "--model", bert, "--text", "a", "--save-trace", "@out", "--trace-holds", "v"}
                                   << "matrices or qk";
    QTest::newRow("bad dtype") << QStringList{"attention", "--model", bert, "--text", "a", "--save-trace", "@out", "--trace-dtype", "f64"}
                               << "--trace-dtype must be f32, f16 or bf16, not 'f64'";
    QTest::newRow("holds without save") << QStringList{"attention", "--model", bert, "--text", "a", "--trace-holds", "qk"}
                                        << "--save-trace";
    QTest::newRow("layers beyond the model") << QStringList{"attention", "--model", bert, "--text", "a", "--save-trace", "@out", "--layers", "0-5"}
                                             << "layer";
    QTest::newRow("ablate a trace") << QStringList{"render", "--trace", "@good", "--view", "heatmap", "--ablate", "0:1", "--out", "@svg"}
                                    << "--ablate";
}

void TestCliTraces::badInput() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString good = m_dir.filePath("good.safetensors");
    if (!QFile::exists(good)) QVERIFY(!save(fixture("models/bert"), kTextA, "good.safetensors").isEmpty());
    const QString truncated = m_dir.filePath("truncated.safetensors");
    {
        QFile in(good), out(truncated);
        QVERIFY(in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() * 2 / 3));
    }
    const QString out = m_dir.filePath("bad-input-out.safetensors"), svg = m_dir.filePath("bad-input.svg");
    for (QString& a : args) a.replace("@good", good).replace("@truncated", truncated).replace("@out", out).replace("@svg", svg);
    CLI_REFUSES(runCli(args), message);
    QVERIFY(!QFile::exists(out));
    QVERIFY(!QFile::exists(svg));
}

QTEST_GUILESS_MAIN(TestCliTraces)
#include "tst_cli_traces.moc"
