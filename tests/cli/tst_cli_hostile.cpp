// attnscope-cli against hostile and unlucky input (issue 10): every case exits 2 (bad input) or 1
// (I/O failure) within seconds, with exactly one line on stderr, nothing on stdout and no file.
#include "cli_runner.h"
#include "safetensors_writer.h"
#include "test_paths.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using attnscope::test::buildSafetensors;
using attnscope::test::cliPath;
using attnscope::test::copyFolder;
using attnscope::test::modelFixture;
using attnscope::test::TensorSpec;
using attnscope::test::writeFile;

namespace {

using Run = attnscope::test::CliRun;

Run run(const QStringList& args, qint64 fileSizeLimit = 0, const QString& stdoutPath = QString()) {
    return attnscope::test::runCli(args, fileSizeLimit, stdoutPath, 60000);
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

void writeJson(const QString& path, const QJsonObject& o) { QVERIFY(writeFile(path, QJsonDocument(o).toJson())); }

// A copy of a fixture with config.json keys replaced (a null value removes the key).
QString patched(const QTemporaryDir& dir, const QString& name, const QString& fixture, const QString& file, const QJsonObject& keys) {
    const QString folder = dir.filePath(name);
    return attnscope::test::copyWithJsonKeys(modelFixture(fixture), folder, file, keys) ? folder : QString();
}

// A copy of a fixture whose `file` is replaced by a FIFO (or a symlink to `target`).
QString withSpecialFile(const QTemporaryDir& dir, const QString& name, const QString& fixture, const QString& file,
                        const QString& target = QString()) {
    const QString folder = dir.filePath(name);
    if (!copyFolder(modelFixture(fixture), folder)) return QString();
    const QString path = QDir(folder).filePath(file);
    QFile::remove(path);
    if (target.isEmpty()) ::mkfifo(QFile::encodeName(path).constData(), 0600);
    else QFile::link(target, path);
    return folder;
}

// A BERT of width 4 whose position table has `positions` rows (weights zero: only shapes matter).
QString longBert(const QTemporaryDir& dir, int positions) {
    const QString folder = dir.filePath(QStringLiteral("long-bert-%1").arg(positions));
    QDir().mkpath(folder);
    QFile::copy(modelFixture(QStringLiteral("bert")) + QStringLiteral("/vocab.txt"), folder + QStringLiteral("/vocab.txt"));
    writeJson(folder + QStringLiteral("/config.json"),
              QJsonObject{{"model_type", "bert"}, {"vocab_size", 27}, {"max_position_embeddings", positions}, {"hidden_size", 4},
                          {"num_hidden_layers", 1}, {"num_attention_heads", 1}, {"intermediate_size", 4}, {"type_vocab_size", 2}});
    std::vector<TensorSpec> t = {{"embeddings.word_embeddings.weight", "F32", {27, 4}, {}},
                                 {"embeddings.position_embeddings.weight", "F32", {positions, 4}, {}},
                                 {"embeddings.token_type_embeddings.weight", "F32", {2, 4}, {}}};
    auto norm = [&](const QString& n) {
        t.push_back({n + ".weight", "F32", {4}, {}});
        t.push_back({n + ".bias", "F32", {4}, {}});
    };
    auto linear = [&](const QString& n) {
        t.push_back({n + ".weight", "F32", {4, 4}, {}});
        t.push_back({n + ".bias", "F32", {4}, {}});
    };
    norm(QStringLiteral("embeddings.LayerNorm"));
    for (const char* n : {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                          "intermediate.dense", "output.dense"})
        linear(QStringLiteral("encoder.layer.0.") + QLatin1String(n));
    norm(QStringLiteral("encoder.layer.0.attention.output.LayerNorm"));
    norm(QStringLiteral("encoder.layer.0.output.LayerNorm"));
    writeFile(folder + QStringLiteral("/model.safetensors"), buildSafetensors(t));
    return folder;
}

// A BERT whose F16 word embedding is 100 GB, in a sparse file (a few KB on disk).
// 16-bit matrices are used as stored; tables read as float32 (positions, norms) are widened,
// within the memory budget: 4,000,000 positions x 3,200 in F16 (25.6 GB, sparse) would need 51.2 GB.
QString hugeF16Bert(const QTemporaryDir& dir) {
    const QString folder = dir.filePath(QStringLiteral("huge-f16"));
    QDir().mkpath(folder);
    QFile::copy(modelFixture(QStringLiteral("bert")) + QStringLiteral("/vocab.txt"), folder + QStringLiteral("/vocab.txt"));
    const qint64 vocab = 30522, hidden = 3200, positions = 4'000'000;
    writeJson(folder + QStringLiteral("/config.json"),
              QJsonObject{{"model_type", "bert"}, {"vocab_size", vocab}, {"hidden_size", hidden}, {"num_hidden_layers", 1},
                          {"num_attention_heads", 1}, {"intermediate_size", 4}, {"max_position_embeddings", positions}});
    const qint64 words = vocab * hidden * 2, bytes = words + positions * hidden * 2;
    QJsonObject header{{"embeddings.word_embeddings.weight",
                        QJsonObject{{"dtype", "F16"}, {"shape", QJsonArray{vocab, hidden}}, {"data_offsets", QJsonArray{0, words}}}},
                       {"embeddings.position_embeddings.weight",
                        QJsonObject{{"dtype", "F16"}, {"shape", QJsonArray{positions, hidden}}, {"data_offsets", QJsonArray{words, bytes}}}}};
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8) json.append(' ');
    QFile f(folder + QStringLiteral("/model.safetensors"));
    if (!f.open(QIODevice::WriteOnly)) return QString();
    QByteArray length(8, '\0');
    for (int i = 0; i < 8; ++i) length[i] = char((quint64(json.size()) >> (8 * i)) & 0xff);
    f.write(length + json);
    f.resize(8 + json.size() + bytes);  // sparse: no blocks are written
    return folder;
}

// A JPEG whose header claims width x height (the data is a real 16 x 16 picture's).
QByteArray jpegClaiming(int width, int height) {
    QImage img(16, 16, QImage::Format_RGB32);
    img.fill(Qt::darkCyan);
    QByteArray jpeg;
    QBuffer b(&jpeg);
    b.open(QIODevice::WriteOnly);
    img.save(&b, "JPEG");
    for (int i = 0; i + 8 < jpeg.size(); ++i)
        if (uchar(jpeg[i]) == 0xFF && (uchar(jpeg[i + 1]) == 0xC0 || uchar(jpeg[i + 1]) == 0xC2)) {  // SOF0 / SOF2
            jpeg[i + 5] = char(height >> 8);
            jpeg[i + 6] = char(height & 0xff);
            jpeg[i + 7] = char(width >> 8);
            jpeg[i + 8] = char(width & 0xff);
            break;
        }
    return jpeg;
}

}  // namespace

class TestCliHostile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refused_data();
    void refused();
    void fullDisk_data();
    void fullDisk();
    void fullStdout_data();
    void fullStdout();
    void helpGoesToStdout();

private:
    QTemporaryDir m_dir;
    QString m_image;  // a good picture
};

void TestCliHostile::initTestCase() {
    QVERIFY(m_dir.isValid());
    QImage img(64, 64, QImage::Format_RGB32);
    img.fill(Qt::darkGreen);
    m_image = m_dir.filePath(QStringLiteral("good.png"));
    QVERIFY(img.save(m_image));
}

void TestCliHostile::refused_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QTemporaryDir& d = m_dir;
    const QString bert = modelFixture(QStringLiteral("bert")), vit = modelFixture(QStringLiteral("vit"));
    const QString out = m_dir.filePath(QStringLiteral("out"));

    // 1. Sizes that crash or overflow.
    const QString vit0 = patched(d, "vit-size0", "vit", "config.json", {{"image_size", 0}});
    QFile::remove(vit0 + QStringLiteral("/preprocessor_config.json"));
    QTest::newRow("vit image_size 0: render") << QStringList{"render", "--model", vit0, "--image", m_image, "--view", "image", "--out", out + ".png"}
                                              << 2 << "config.json: image_size 0 must be a positive multiple of patch_size";
    QTest::newRow("vit image_size 0: attention") << QStringList{"attention", "--model", vit0, "--image", m_image} << 2
                                                 << "image_size 0 must be a positive multiple";
    QTest::newRow("vit image_size 100000, patch 1")
        << QStringList{"attention", "--model", patched(d, "vit-huge", "vit", "config.json", {{"image_size", 100000}, {"patch_size", 1}}), "--image", m_image}
        << 2 << "image_size 100000 is above the limit of 16384 pixels";
    QTest::newRow("vit image_size 8192, patch 1")
        << QStringList{"attention", "--model", patched(d, "vit-patches", "vit", "config.json", {{"image_size", 8192}, {"patch_size", 1}}), "--image", m_image}
        << 2 << "makes 67108864 patches, above the limit of 65536";
    QTest::newRow("gpt2 n_embd 1e9") << QStringList{"attention", "--model", patched(d, "gpt2-wide", "gpt2", "config.json", {{"n_embd", 1000000000}, {"n_head", 1}}), "--text", "hi"}
                                     << 2 << "config.json: the hidden size 1000000000 is above AttnScope's limit of 65536";
    QTest::newRow("bert hidden_size 46342") << QStringList{"attention", "--model", patched(d, "bert-46342", "bert", "config.json", {{"hidden_size", 46342}, {"num_attention_heads", 2}}), "--text", "it"}
                                            << 2 << "expected shape [27, 46342], found [27, 32]";
    // 2. Allocations sized by the input.
    QTest::newRow("tokenizer.json id 2e9")
        << QStringList{"tokenize", "--model", patched(d, "tok-id", "distilbert", "tokenizer.json", {}), "--text", "hi"} << 2
        << "tokenizer.json: id 2000000000 of 'zzz' is above the limit of 16777215";
    QTest::newRow("26 GB sparse F16 position table") << QStringList{"attention", "--model", hugeF16Bert(d), "--text", "it"} << 2
                                                     << "widening the weights to float32 (up to tensor 'embeddings.position_embeddings.weight') needs 51.2 GB, more than";
    QTest::newRow("preprocessor resizes to 100000 x 100000")
        << QStringList{"attention", "--model", patched(d, "vit-resize", "vit", "preprocessor_config.json", {{"size", QJsonObject{{"height", 100000}, {"width", 100000}}}, {"do_center_crop", true}, {"crop_size", 32}}), "--image", m_image}
        << 2 << "resizing to 100000 x 100000 is more than AttnScope allows for a 32-pixel model";
    // "." is one token each: 65,000 of them fit one argument (the kernel's limit is 128 KB).
    QTest::newRow("65,000 tokens, 100,000 positions") << QStringList{"attention", "--model", longBert(d, 100000), "--text", QStringLiteral(".").repeated(65000)}
                                                      << 2 << "the attention trace of 65002 tokens needs 34.1 GB, more than";
    QTest::newRow("16,384 positions with --truncate, 1 GB limit")
        << QStringList{"attention", "--model", longBert(d, 16384), "--text", QStringLiteral(".").repeated(20000), "--truncate", "--memory-limit", "1G"}
        << 2 << "the attention trace of 16384 tokens needs 2.4 GB, more than the 1.1 GB AttnScope may use (shorten the text";
    // Selections and synthetic checkpoints.
    QTest::newRow("--layers past the model") << QStringList{"attention", "--model", bert, "--text", "it", "--layers", "0,7"} << 2
                                             << "--layers 0,7: 7 is out of range (the model has 2, numbered 0 to 1)";
    QTest::newRow("--heads backwards") << QStringList{"attention", "--model", bert, "--text", "it", "--heads", "3-1"} << 2
                                       << "--heads 3-1: the range 3-1 runs backwards";
    QTest::newRow("--heads twice") << QStringList{"attention", "--model", bert, "--text", "it", "--heads", "1,0-1"} << 2
                                   << "--heads 1,0-1: 1 is listed twice";
    QTest::newRow("--layers not a number") << QStringList{"attention", "--model", bert, "--text", "it", "--layers", "first"} << 2
                                           << "--layers first: 'first' is not a number or a range such as 2-5";
    QTest::newRow("synthesize without an architecture") << QStringList{"synthesize", "--out", out} << 2 << "--synthetic ARCH is required";
    QTest::newRow("synthesize an unknown architecture") << QStringList{"synthesize", "--synthetic", "llama-70b", "--out", out} << 2
                                                        << "unknown synthetic architecture 'llama-70b'";
    QTest::newRow("synthesize into a full folder") << QStringList{"synthesize", "--synthetic", "gpt2", "--out", bert} << 2
                                                   << "exists and is not an empty folder";
    QTest::newRow("synthesize --dtype int8") << QStringList{"synthesize", "--synthetic", "gpt2", "--dtype", "int8", "--out", out} << 2
                                             << "--dtype must be f32, bf16 or f16, not 'int8'";
    QTest::newRow("bench --dtype with a folder") << QStringList{"bench", "--model", bert, "--dtype", "bf16"} << 2
                                                 << "--dtype goes with --synthetic";
    QTest::newRow("bench --peak-size 8192") << QStringList{"bench", "--model", bert, "--peak-size", "8192"} << 2
                                            << "--peak-size must be an integer from 64 to 4096, not '8192'";
    QTest::newRow("--memory-limit not a size") << QStringList{"tokenize", "--text", "hi", "--memory-limit", "lots"} << 2
                                               << "--memory-limit must be a size such as 512M or 8G, not 'lots'";
    QTest::newRow("JPEG claiming 65000 x 65000") << QStringList{"attention", "--image", m_dir.filePath("claims.jpg")} << 2
                                                 << "the image is 65000 x 65000 pixels, more than AttnScope decodes (268 megapixels)";
    // 3. Files that are not regular files.
    QTest::newRow("config.json is a FIFO") << QStringList{"attention", "--model", withSpecialFile(d, "fifo-config", "bert", "config.json"), "--text", "it"}
                                           << 2 << "config.json: is a FIFO, not a regular file";
    QTest::newRow("model.safetensors is a FIFO") << QStringList{"attention", "--model", withSpecialFile(d, "fifo-weights", "bert", "model.safetensors"), "--text", "it"}
                                                 << 2 << "model.safetensors: is a FIFO, not a regular file";
    QTest::newRow("vocab.txt is a FIFO") << QStringList{"tokenize", "--model", withSpecialFile(d, "fifo-vocab", "bert", "vocab.txt"), "--text", "it"}
                                         << 2 << "vocab.txt: is a FIFO, not a regular file";
    QTest::newRow("config.json -> /dev/zero") << QStringList{"attention", "--model", withSpecialFile(d, "zero-config", "bert", "config.json", "/dev/zero"), "--text", "it"}
                                              << 2 << "config.json: is a character device, not a regular file";
    QTest::newRow("--image is a FIFO") << QStringList{"attention", "--image", m_dir.filePath("fifo.png")} << 2 << "fifo.png: is a FIFO, not a regular file";
    QTest::newRow("--image is a folder") << QStringList{"attention", "--image", m_dir.path()} << 2 << "is a folder, not a regular file";
    // 4. A billion layers: refused at once; a few too many stop at the first missing tensor.
    QTest::newRow("num_hidden_layers 1e9") << QStringList{"attention", "--model", patched(d, "layers-1e9", "bert", "config.json", {{"num_hidden_layers", 1000000000}}), "--text", "it"}
                                           << 2 << "the number of layers 1000000000 is above AttnScope's limit of 1024";
    QTest::newRow("num_hidden_layers 1000") << QStringList{"attention", "--model", patched(d, "layers-1000", "bert", "config.json", {{"num_hidden_layers", 1000}}), "--text", "it"}
                                            << 2 << "encoder.layer.2.attention.self.query.weight' (expected shape [32, 32])";
    // 6. Ids far beyond the vocabulary.
    QTest::newRow("vocab.json id 100,000,000") << QStringList{"tokenize", "--model", patched(d, "vocab-id", "gpt2", "vocab.json", {{"zzz", 100000000}}), "--text", "hi"}
                                               << 2 << "vocab.json: id 100000000 of 'zzz' is above the limit of 16777215";
    // 9. Not-a-numbers.
    for (const char* v : {"nan", "inf", "-inf"}) {
        QTest::newRow(qPrintable(QStringLiteral("--threshold %1").arg(QLatin1String(v))))
            << QStringList{"render", "--text", "it", "--view", "links", "--threshold", v, "--out", out + ".png"} << 2 << "--threshold must be a number from 0 to 1";
        QTest::newRow(qPrintable(QStringLiteral("rollout --discard %1").arg(QLatin1String(v))))
            << QStringList{"rollout", "--image", m_image, "--discard", v, "--out", out + ".npy"} << 2 << "--discard must be a number from 0 to below 1";
        QTest::newRow(qPrintable(QStringLiteral("render --discard %1").arg(QLatin1String(v))))
            << QStringList{"render", "--image", m_image, "--view", "image", "--discard", v, "--out", out + ".png"} << 2 << "--discard must be a number from 0";
    }
    // 10, 11. Qt's own options are not ours; no arguments is one line.
    QTest::newRow("-platform xcb") << QStringList{"render", "--text", "it", "--view", "links", "--out", out + ".png", "-platform", "xcb"} << 2
                                   << "Unknown option 'platform'";
    QTest::newRow("no arguments") << QStringList{} << 2 << "no command given";
    // 16. Config keys that change the numbers.
    QTest::newRow("bert relative_key") << QStringList{"attention", "--model", patched(d, "rel-key", "bert", "config.json", {{"position_embedding_type", "relative_key"}}), "--text", "it"}
                                       << 2 << "position_embedding_type 'relative_key' is not supported";
    QTest::newRow("bert relative_key_query") << QStringList{"attention", "--model", patched(d, "rel-kq", "bert", "config.json", {{"position_embedding_type", "relative_key_query"}}), "--text", "it"}
                                             << 2 << "position_embedding_type 'relative_key_query' is not supported";
    QTest::newRow("bert is_decoder") << QStringList{"attention", "--model", patched(d, "decoder", "bert", "config.json", {{"is_decoder", true}}), "--text", "it"}
                                     << 2 << "is_decoder true (a causal BERT) is not supported";
    QTest::newRow("gpt2 scale_attn_weights false") << QStringList{"attention", "--model", patched(d, "noscale", "gpt2", "config.json", {{"scale_attn_weights", false}}), "--text", "hi"}
                                                   << 2 << "scale_attn_weights false";
    // 17. Resample codes.
    QTest::newRow("resample 7") << QStringList{"attention", "--model", patched(d, "resample7", "vit", "preprocessor_config.json", {{"resample", 7}}), "--image", m_image}
                                << 2 << "resample 7 is not a PIL filter";

    // Files the rows above name.
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("claims.jpg")), jpegClaiming(65000, 65000)));
    ::mkfifo(QFile::encodeName(m_dir.filePath(QStringLiteral("fifo.png"))).constData(), 0600);
    // tokenizer.json with an id of 2,000,000,000 (replaces the row's copy).
    const QString tok = m_dir.filePath(QStringLiteral("tok-id/tokenizer.json"));
    QJsonObject t = readJson(tok);
    QJsonObject model = t.value(QStringLiteral("model")).toObject();
    QJsonObject vocab = model.value(QStringLiteral("vocab")).toObject();
    vocab.insert(QStringLiteral("zzz"), 2000000000);
    model.insert(QStringLiteral("vocab"), vocab);
    t.insert(QStringLiteral("model"), model);
    writeJson(tok, t);
}

void TestCliHostile::refused() {
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, message);
    const QString out = m_dir.filePath(QStringLiteral("out"));
    const Run r = run(args);
    QVERIFY2(r.status == status, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.status).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);  // one line, nothing from Qt or the image libraries
    QVERIFY(r.err.startsWith("attnscope-cli: "));
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.ms < 20000, qPrintable(QStringLiteral("%1 ms").arg(r.ms)));
    for (const char* ext : {".png", ".npy", ".json"}) QVERIFY(!QFile::exists(out + QLatin1String(ext)));
}

// 7. Writes that fail half way: exit 1, one line naming the file, and no file at all.
void TestCliHostile::fullDisk_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("file");
    const QString bert = modelFixture(QStringLiteral("bert"));
    const QString text = QStringLiteral("the animal didn't cross the road because it was tired");
    auto file = [&](const char* name) { return m_dir.filePath(QLatin1String(name)); };
    QTest::newRow("attention json") << QStringList{"attention", "--model", bert, "--text", text, "--out", file("a.json")} << file("a.json");
    QTest::newRow("attention npy") << QStringList{"attention", "--model", bert, "--text", text, "--format", "npy", "--out", file("a.npy")} << file("a.npy");
    QTest::newRow("rollout npy") << QStringList{"rollout", "--image", m_image, "--out", file("r.npy")} << file("r.npy");
    QTest::newRow("rollout png") << QStringList{"rollout", "--image", m_image, "--out", file("r.png")} << file("r.png");
    for (const char* ext : {"png", "svg", "pdf"})
        QTest::newRow(qPrintable(QStringLiteral("render %1").arg(QLatin1String(ext))))
            << QStringList{"render", "--model", bert, "--text", text, "--view", "heatmap", "--out", file("h.") + QLatin1String(ext)}
            << file("h.") + QLatin1String(ext);
}

void TestCliHostile::fullDisk() {
    QFETCH(QStringList, args);
    QFETCH(QString, file);
    QFile::remove(file);
    const Run r = run(args, 256);  // every file stops at 256 bytes
    QVERIFY2(r.status == 1, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.status).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains(file.toUtf8() + ": cannot write"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(!QFile::exists(file));
    QCOMPARE(QDir(m_dir.path()).entryList({QFileInfo(file).fileName() + QStringLiteral("*")}, QDir::Files | QDir::Hidden), QStringList());
    // With room, the same command succeeds: the failure above was the disk's.
    const Run ok = run(args);
    QCOMPARE(ok.status, 0);
    QVERIFY(QFileInfo(file).size() > 256);
}

// 8. A full or closed standard output is an I/O failure, never a silent success.
void TestCliHostile::fullStdout_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("attention") << QStringList{"attention", "--text", "it was tired"};
    QTest::newRow("tokenize") << QStringList{"tokenize", "--text", "it was tired"};
    QTest::newRow("predict") << QStringList{"predict", "--model", modelFixture(QStringLiteral("bert")), "--text", "it [MASK] tired"};
    QTest::newRow("bench") << QStringList{"bench", "--synthetic", "bert-base", "--seq", "4", "--reps", "1", "--no-trace", "--peak-size", "128"};
    QTest::newRow("--help") << QStringList{"--help"};
}

void TestCliHostile::fullStdout() {
    QFETCH(QStringList, args);
    const Run r = run(args, 0, QStringLiteral("/dev/full"));
    QVERIFY2(r.status == 1, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.status).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.endsWith("attnscope-cli: cannot write to standard output\n"), r.err.constData());
}

void TestCliHostile::helpGoesToStdout() {
    const Run r = run({QStringLiteral("--help")});
    QCOMPARE(r.status, 0);
    QVERIFY(r.out.contains("Usage: attnscope-cli"));
    QVERIFY(r.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_cli_hostile.moc"
