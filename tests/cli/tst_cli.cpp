// attnscope-cli end to end: the JSON/NPY contract, exit statuses, one-line errors, no partial files
// (figures and images: tst_cli_figures.cpp).
#include "cli_runner.h"
#include "test_paths.h"

#include <QBuffer>
#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using attnscope::test::cliPath;
using attnscope::test::modelFixture;

namespace {

using Run = attnscope::test::CliRun;

Run run(const QStringList& args) { return attnscope::test::runCli(args); }

QJsonObject json(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

QByteArray pngChunk(const char* type, const QByteArray& data) {
    QByteArray c;
    const quint32 n = quint32(data.size());
    c.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    const QByteArray body = QByteArray(type) + data;
    c.append(body);
    // CRC-32 of type + data (PNG's polynomial).
    quint32 crc = 0xffffffffu;
    for (char ch : body) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xffffffffu;
    c.append(char(crc >> 24)).append(char(crc >> 16)).append(char(crc >> 8)).append(char(crc));
    return c;
}

// Images no decoder should accept: a PNG cut in half, an empty file, a valid 1-bit 12000 x 12000 PNG
// (28 KB on disk, 576 MB decoded), a file in a format Qt has no plug-in for.
void writeBadImages(const QTemporaryDir& dir) {
    auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    QImage good(64, 64, QImage::Format_RGB32);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) good.setPixel(x, y, qRgb(x * 4, y * 4, (x * y) % 256));
    QByteArray png;
    {
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(good.save(&buffer, "PNG"));
    }
    write(QStringLiteral("truncated.png"), png.left(png.size() / 2));
    write(QStringLiteral("empty.png"), QByteArray());
    const int side = 12000;
    QByteArray header;
    for (int v : {side, side}) header.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
    header.append(char(1)).append(char(0)).append(char(0)).append(char(0)).append(char(0));  // 1 bit, greyscale
    const QByteArray row = QByteArray(1, '\0') + QByteArray(side / 8, char(0xff));
    const QByteArray zlib = qCompress(row.repeated(side), 9).mid(4);  // drop Qt's length prefix: a zlib stream
    write(QStringLiteral("huge.png"), QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header) + pngChunk("IDAT", zlib) +
                                          pngChunk("IEND", QByteArray()));
    write(QStringLiteral("picture.xcf"), QByteArray("gimp xcf v011") + QByteArray(200, '\0'));
}

const QString kBertText = QStringLiteral("The [MASK] didn't cross the road because it was playing.");

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokenize();
    void attentionJson();
    void attentionNpy();
    void predict_data();
    void predict();
    void bench();
    void helpForEveryCommand_data();
    void helpForEveryCommand();
    void badInput_data();
    void badInput();
    void invalidUtf8();
    void builtinModelByDefault();
    void printCorpus();

private:
    QTemporaryDir m_dir;
};

void TestCli::tokenize() {
    const Run r = run({"tokenize", "--model", modelFixture("bert"), "--text", kBertText});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("tokens").toArray().size(), 16);
    QCOMPARE(o.value("ids").toArray().at(2).toInt(), 4);  // [MASK]
    QCOMPARE(o.value("offsets").toArray().at(2).toArray(), (QJsonArray{4, 10}));
    QVERIFY(r.err.isEmpty());
}

void TestCli::attentionJson() {
    const QString out = m_dir.filePath("att.json");
    const Run r = run({"attention", "--model", modelFixture("gpt2"), "--text", "The animal didn't cross the road.",
                       "--include", "hidden,qkv,scores", "--out", out});
    QCOMPARE(r.status, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = json(f.readAll());
    QCOMPARE(o.value("model_type").toString(), QStringLiteral("gpt2"));
    const int n = o.value("ids").toArray().size();
    QCOMPARE(o.value("num_layers").toInt(), 2);
    QCOMPARE(o.value("num_heads").toInt(), 4);
    const QJsonArray att = o.value("attentions").toArray();
    QCOMPARE(att.size(), 2);
    QCOMPARE(att[0].toArray().size(), 4);
    QCOMPARE(att[0].toArray()[0].toArray().size(), n);
    QCOMPARE(att[1].toArray()[3].toArray()[0].toArray().at(0).toDouble(), 1.0);  // causal: token 0 sees itself only
    QCOMPARE(o.value("hidden_states").toArray().size(), 3);
    QCOMPARE(o.value("hidden_states").toArray()[0].toArray()[0].toArray().size(), 32);
    QCOMPARE(o.value("q").toArray()[1].toArray()[2].toArray()[0].toArray().size(), 8);
    QCOMPARE(o.value("scores").toArray()[0].toArray()[0].toArray()[0].toArray().size(), n);
    // Each head's sink share: the mean over rows of the weight on token 0.
    const QJsonArray sink = o.value("sink_share").toArray();
    QCOMPARE(sink.size(), 2);
    QCOMPARE(sink[1].toArray().size(), 4);
    double mean = 0;
    for (const QJsonValue& row : att[1].toArray()[3].toArray()) mean += row.toArray().at(0).toDouble() / n;
    QVERIFY(std::abs(sink[1].toArray()[3].toDouble() - mean) < 1e-6);

    // A decoder with grouped-query attention: k and v per key/value head (2 of 4 here).
    const Run d = run({"attention", "--model", QStringLiteral(ATTNSCOPE_FIXTURES "/decoders/qwen3"), "--text", "hello", "--include", "qkv"});
    QCOMPARE(d.status, 0);
    const QJsonObject dj = json(d.out);
    QCOMPARE(dj.value("q").toArray()[0].toArray().size(), 4);
    QCOMPARE(dj.value("k").toArray()[0].toArray().size(), 2);
    QCOMPARE(dj.value("q").toArray()[0].toArray()[0].toArray()[0].toArray().size(), 16);  // head_dim 16
}

void TestCli::attentionNpy() {
    const QString out = m_dir.filePath("att.npy");
    const Run r = run({"attention", "--model", modelFixture("bert"), "--text", kBertText, "--format", "npy", "--out", out});
    QCOMPARE(r.status, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith("\x93NUMPY\x01\x00"));
    const int headerLen = uchar(bytes[8]) | (uchar(bytes[9]) << 8);
    QCOMPARE((10 + headerLen) % 64, 0);
    QVERIFY(bytes.mid(10, headerLen).contains("'shape': (2, 4, 16, 16)"));
    QCOMPARE(bytes.size(), 10 + headerLen + 2 * 4 * 16 * 16 * 4);
}

void TestCli::predict_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("position");
    QTest::newRow("bert masked") << "bert" << kBertText << "masked-token" << 2;
    QTest::newRow("roberta <mask>") << "roberta" << "The <mask> didn't cross the road because it was tired." << "masked-token" << 2;
    QTest::newRow("gpt2 next token") << "gpt2" << "The animal didn't cross the road because it was tired." << "next-token" << 15;
}

void TestCli::predict() {
    QFETCH(QString, fixture);
    QFETCH(QString, text);
    QFETCH(QString, kind);
    QFETCH(int, position);
    const Run r = run({"predict", "--model", modelFixture(fixture), "--text", text, "--top", "3"});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("kind").toString(), kind);
    const QJsonObject p = o.value("predictions").toArray().at(0).toObject();
    QCOMPARE(p.value("position").toInt(), position);
    const QJsonArray top = p.value("top").toArray();
    QCOMPARE(top.size(), 3);
    QVERIFY(top[0].toObject().value("probability").toDouble() >= top[1].toObject().value("probability").toDouble());
    // The reference's first choice (tests/fixtures/models/*/expected.json).
    QFile e(modelFixture(fixture) + "/expected.json");
    QVERIFY(e.open(QIODevice::ReadOnly));
    QCOMPARE(top[0].toObject().value("id").toInt(), json(e.readAll()).value("top_ids").toArray().at(0).toInt());
}

void TestCli::bench() {
    // The peaks on 192^3 products, not 2048^3 ones: seconds less here, a minute under the sanitizers.
    const QStringList small{"--peak-size", "192"};
    const Run r = run(QStringList{"bench", "--model", modelFixture("bert"), "--seq", "8", "--reps", "2", "--threads", "1"} + small);
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    for (const char* key : {"model", "seq", "threads", "ms_median", "ms_min", "gflops", "sgemm_peak_gflops", "fraction_of_peak"})
        QVERIFY2(o.contains(key), key);
    QCOMPARE(o.value("peak_size").toInt(), 192);
    QCOMPARE(o.value("seq").toInt(), 8);
    QCOMPARE(o.value("threads").toInt(), 1);
    QVERIFY(o.value("ms_min").toDouble() > 0);
    QVERIFY(o.value("ms_min").toDouble() <= o.value("ms_median").toDouble());
    QVERIFY(o.value("sgemm_peak_gflops").toDouble() > 0);
    QVERIFY(std::abs(o.value("fraction_of_peak").toDouble() - o.value("gflops").toDouble() / o.value("sgemm_peak_gflops").toDouble()) < 1e-3);
    QVERIFY(o.contains("kernel_peak_gflops"));
    // Each kernel path on request: the BLAS path packs nothing (no packed peak); a path this CPU
    // cannot run is refused.
    const Run blas = run(QStringList{"bench", "--model", modelFixture("bert"), "--seq", "4", "--reps", "1", "--kernels", "blas"} + small);
    QCOMPARE(blas.status, 0);
    QCOMPARE(json(blas.out).value("kernels").toString(), QStringLiteral("blas"));
    QCOMPARE(json(blas.out).value("kernel_peak_gflops").toDouble(), 0.0);
    const Run avx2 = run(QStringList{"bench", "--model", modelFixture("bert"), "--seq", "4", "--reps", "1", "--kernels", "avx2"} + small);
    if (avx2.status == 0) {
        QCOMPARE(json(avx2.out).value("kernels").toString(), QStringLiteral("avx2"));
        QVERIFY(json(avx2.out).value("kernel_peak_gflops").toDouble() > 0);
    } else {
        QCOMPARE(avx2.status, 2);
        QVERIFY(avx2.err.contains("this CPU does not run the avx2 kernels"));
    }
    const Run bad = run({"bench", "--model", modelFixture("bert"), "--kernels", "neon"});
    QCOMPARE(bad.status, 2);
    QVERIFY(bad.err.contains("--kernels takes avx512, avx2 or blas, not 'neon'"));
    // A decoder fixture benchmarks the same way.
    const Run d = run(QStringList{"bench", "--model", QStringLiteral(ATTNSCOPE_FIXTURES "/decoders/qwen3"), "--seq", "8", "--reps", "2"} + small);
    QCOMPARE(d.status, 0);
    QVERIFY(json(d.out).value("gflops").toDouble() > 0);
}

void TestCli::helpForEveryCommand_data() {
    QTest::addColumn<QString>("command");
    for (const char* c : {"tokenize", "attention", "predict", "bench", "synthesize", "download", "render", "rollout", "train-teaching",
                          "train-vision-teaching"})
        QTest::newRow(c) << c;
}

void TestCli::helpForEveryCommand() {
    QFETCH(QString, command);
    const Run r = run({command, "--help"});
    QCOMPARE(r.status, 0);
    QVERIFY(r.out.contains("--"));
}

void TestCli::badInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString bert = modelFixture("bert");
    const QString out = m_dir.filePath("never-written.json");
    QTest::newRow("unknown command") << QStringList{"explain"} << "unknown command 'explain'";
    QTest::newRow("unknown option") << QStringList{"attention", "--modle", bert} << "Unknown option 'modle'";
    QTest::newRow("no such folder") << QStringList{"attention", "--model", "/nonexistent/model", "--text", "hi", "--out", out}
                                    << "no such folder";
    QTest::newRow("folder without a model") << QStringList{"attention", "--model", m_dir.path(), "--text", "hi", "--out", out}
                                            << "no config.json";
    QTest::newRow("empty text") << QStringList{"attention", "--model", bert, "--text", "", "--out", out} << "--text is empty";
    QTest::newRow("text too long") << QStringList{"attention", "--model", bert, "--text", QString("the cat ").repeated(40), "--out", out}
                                   << "accepts at most 64";
    QTest::newRow("bad --include") << QStringList{"attention", "--model", bert, "--text", "hi", "--include", "everything"}
                                   << "unknown part 'everything'";
    QTest::newRow("bad --format") << QStringList{"attention", "--model", bert, "--text", "hi", "--format", "csv"} << "--format must be";
    QTest::newRow("no mask to predict") << QStringList{"predict", "--model", bert, "--text", "the cat sat"} << "no [MASK] token";
    QTest::newRow("no LM head") << QStringList{"predict", "--model", modelFixture("bert-gamma-beta"), "--text", "the [MASK]"}
                                << "no language-model head";
    QTest::newRow("bench needs a model") << QStringList{"bench", "--seq", "8"} << "exactly one of --model";
    QTest::newRow("bench seq too long") << QStringList{"bench", "--model", bert, "--seq", "100"} << "exceeds the model's limit of 64";
    QTest::newRow("bad --top") << QStringList{"predict", "--model", bert, "--text", "[MASK]", "--top", "0"} << "--top must be";
    QTest::newRow("image: text model") << QStringList{"attention", "--model", bert, "--image", m_dir.filePath("x.png")}
                                       << "is a text model; --image needs a vision model";
    QTest::newRow("image: text to a vision model") << QStringList{"attention", "--model", modelFixture("vit"), "--text", "hi"}
                                                   << "is an image model; give it an image, not text";
    QTest::newRow("image: missing file") << QStringList{"attention", "--model", modelFixture("vit"), "--image", "/nonexistent.png"}
                                         << "nonexistent.png: cannot open (No such file or directory)";
    QTest::newRow("image: not an image") << QStringList{"attention", "--model", modelFixture("vit"), "--image", bert + "/config.json"}
                                         << "not an image AttnScope can read";
    QTest::newRow("image: corrupt png") << QStringList{"attention", "--model", modelFixture("vit"), "--image", m_dir.filePath("corrupt.png")}
                                        << "cannot decode the image";
    QTest::newRow("image: 1 x 1") << QStringList{"attention", "--model", modelFixture("vit"), "--image", m_dir.filePath("tiny.png")}
                                  << "the image is 1 x 1 pixels";
    QTest::newRow("rollout: bad fusion") << QStringList{"rollout", "--model", modelFixture("vit"), "--image", "x.png", "--fusion", "sum", "--out", out + ".npy"}
                                         << "--fusion must be mean, max or min";
    QTest::newRow("rollout: text model") << QStringList{"rollout", "--model", bert, "--image", m_dir.filePath("tiny.png"), "--out", out + ".npy"}
                                         << "is a text model";
    QTest::newRow("image: truncated png") << QStringList{"attention", "--image", m_dir.filePath("truncated.png")} << "cannot decode the image";
    QTest::newRow("image: empty file") << QStringList{"attention", "--image", m_dir.filePath("empty.png")} << "not an image AttnScope can read";
    QTest::newRow("image: 12000 x 12000") << QStringList{"attention", "--image", m_dir.filePath("huge.png")}
                                          << "the image is 12000 x 12000 pixels, too large to decode (the limit is 64 megapixels)";
    QTest::newRow("image: unsupported format") << QStringList{"attention", "--image", m_dir.filePath("picture.xcf")}
                                               << "not an image AttnScope can read";
    QTest::newRow("render: image view without an image")
        << QStringList{"render", "--model", bert, "--text", "hi", "--view", "image", "--out", out + ".png"} << "--view image needs --image FILE";
    QTest::newRow("render: text for an image model")
        << QStringList{"render", "--model", modelFixture("vit"), "--text", "hi", "--view", "links", "--out", out + ".png"}
        << "is an image model; give it an image instead of text";
    QTest::newRow("render: image for a text model")
        << QStringList{"render", "--model", bert, "--image", m_dir.filePath("tiny.png"), "--view", "image", "--out", out + ".png"}
        << "is a text model and cannot read images";
    QTest::newRow("render: bad overlay")
        << QStringList{"render", "--image", m_dir.filePath("tiny.png"), "--view", "image", "--overlay", "saliency", "--out", out + ".png"}
        << "--overlay must be attention, rollout, dino or heads";
    QTest::newRow("render: bad keep")
        << QStringList{"render", "--image", m_dir.filePath("tiny.png"), "--view", "image", "--keep", "2", "--out", out + ".png"}
        << "--keep must be a number from 0.01 to 1";
    QTest::newRow("train-vision-teaching: needs --out") << QStringList{"train-vision-teaching"} << "--out DIR is required";
    QTest::newRow("train-teaching: needs --out") << QStringList{"train-teaching"} << "--out DIR is required";
    QTest::newRow("train-teaching: foreign folder") << QStringList{"train-teaching", "--out", bert + "/.."} << "is not an AttnScope model folder";
    QTest::newRow("train-teaching: no check file")
        << QStringList{"train-teaching", "--check", m_dir.filePath("none.tsv"), "--out", out} << "none.tsv: no such file";
    QTest::newRow("train-teaching: bad check file")
        << QStringList{"train-teaching", "--check", bert + "/config.json", "--out", out} << "line 1: expected sentence, pronoun and referent";
    QTest::newRow("train-teaching: heads") << QStringList{"train-teaching", "--hidden", "50", "--heads", "4", "--out", out}
                                           << "--hidden must be a multiple of --heads";
    QTest::newRow("train-teaching: attend weight") << QStringList{"train-teaching", "--attend-weight", "x", "--out", out}
                                                   << "--attend-weight must be a number from 0 to 10";
    QTest::newRow("render: unknown view") << QStringList{"render", "--model", bert, "--text", "hi", "--view", "pie", "--out", out + ".png"}
                                          << "--view must be links, heatmap, grid, qkv, aggregate, lens, qkspace or image, not 'pie'";
    QTest::newRow("render: only-heads out of range")
        << QStringList{"render", "--model", bert, "--text", "hi", "--view", "links", "--heads", "all", "--only-heads", "0,7", "--out", out + ".png"}
        << "--only-heads must list head numbers from 0 to 3, not '7'";
    QTest::newRow("render: bad extension") << QStringList{"render", "--model", bert, "--text", "hi", "--view", "grid", "--out", out}
                                           << "--out must end in .png, .svg or .pdf";
    QTest::newRow("render: head out of range")
        << QStringList{"render", "--model", bert, "--text", "hi", "--view", "heatmap", "--head", "9", "--out", out + ".png"}
        << "--head must be an integer from 0 to 3";
    QTest::newRow("render: corrupt checkpoint")
        << QStringList{"render", "--model", modelFixture("bert") + "/../../models/none", "--text", "hi", "--view", "grid", "--out", out + ".png"}
        << "no such folder";
}

void TestCli::badInput() {
    QFETCH(QStringList, args);
    QImage(1, 1, QImage::Format_RGB32).save(m_dir.filePath("tiny.png"));
    QFile corrupt(m_dir.filePath("corrupt.png"));
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write(QByteArray("\x89PNG\r\n\x1a\n") + QByteArray(100, 'x'));
    corrupt.close();
    writeBadImages(m_dir);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);  // one line
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath("never-written.json")));
    QVERIFY(!QFile::exists(m_dir.filePath("never-written.json.png")));
}

void TestCli::builtinModelByDefault() {
    const Run r = run({"attention", "--text", "The animal didn't cross the road because it was tired."});
    QCOMPARE(r.status, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value("model_type").toString(), QStringLiteral("bert"));
    QVERIFY(o.value("tokens").toArray().contains(QStringLiteral("animal")));
    QCOMPARE(o.value("num_layers").toInt(), 4);
    // bert-base-uncased's vocabulary: a word the teaching corpus never had falls into pieces, not [UNK].
    const Run t = run({"tokenize", "--text", "The accountant didn't cross the road."});
    QCOMPARE(t.status, 0);
    QVERIFY(!json(t.out).value("tokens").toArray().contains(QStringLiteral("[UNK]")));
}

void TestCli::printCorpus() {
    // The generated corpus, pronoun and referent marked: what train-teaching learns from.
    const Run r = run({"train-teaching", "--print-corpus", "5"});
    QCOMPARE(r.status, 0);
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 12);
    QCOMPARE(lines[0], QStringLiteral("# training"));
    QCOMPARE(lines[6], QStringLiteral("# held out"));
    for (const QString& line : lines.mid(1, 5) + lines.mid(7)) {
        QVERIFY2(line.contains(QLatin1Char('[')) && line.contains(QStringLiteral("]")) && line.contains(QStringLiteral("  -> ")),
                 qPrintable(line));
    }
    QCOMPARE(run({"train-teaching", "--print-corpus", "5"}).out, r.out);  // the same seed, the same sentences
}

void TestCli::invalidUtf8() {
    QProcess p;
    p.start("/bin/sh", {"-c", "exec \"$0\" tokenize --model \"$1\" --text \"$(printf 'caf\\351')\"", cliPath(), modelFixture("bert")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("not valid UTF-8"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
