// Trace files (docs/trace-format.md): a run written and read back equals the run (every family,
// F32/F16/BF16, matrices or q and k, a subset of the layers, shards); a q/k trace's summaries equal
// those the forward pass kept; reading heads keeps nothing. Malformed files: tst_trace_file_malformed.
#include "io/safetensors_writer.h"
#include "model/model_loader.h"
#include "test_paths.h"
#include "trace_draft.h"
#include "trace/trace_file.h"
#include "trace/trace_writer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <deque>

#include <cmath>
#include <functional>

using namespace attnscope::core;
using attnscope::test::modelFixture;
using attnscope::test::Draft;
using attnscope::test::validDraft;

namespace {

std::shared_ptr<const Model> fixtureModel(const QString& name) {
    const QString folder = name.startsWith(QLatin1String("decoders/")) ? QStringLiteral(ATTNSCOPE_FIXTURES "/") + name : modelFixture(name);
    auto loaded = loadModelFolder(folder);
    return loaded ? loaded->model : nullptr;
}

double maxDiff(const float* a, const float* b, int64_t count) {
    double worst = 0;
    for (int64_t i = 0; i < count; ++i) worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

TraceInfo infoFor(int n) {
    TraceInfo info;
    info.model = QStringLiteral("test/model");
    info.modelType = QStringLiteral("test");
    info.text = QStringLiteral("a b c d e f g h i j k l m n o p");
    for (int i = 0; i < n; ++i) info.tokens << QStringLiteral("t%1").arg(i);
    return info;
}

}  // namespace

class TestTraceFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void qkSummariesEqualTheForwardPass();
    void shards();
    void metadataRoundTrip();
    void headsReadKeepNothing();
};

void TestTraceFile::roundTrip_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("holds");  // matrices, qk, both
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("layers");  // "" = all
    for (const char* m : {"bert", "gpt2", "decoders/llama", "decoders/mistral-window", "decoders/gemma3", "decoders/qwen3"}) {
        QTest::newRow(qPrintable(QStringLiteral("%1 matrices f32").arg(m))) << m << "matrices" << "F32" << "";
        QTest::newRow(qPrintable(QStringLiteral("%1 qk f32").arg(m))) << m << "qk" << "F32" << "";
        QTest::newRow(qPrintable(QStringLiteral("%1 both bf16").arg(m))) << m << "both" << "BF16" << "";
    }
    QTest::newRow("bert matrices f16") << "bert" << "matrices" << "F16" << "";
    QTest::newRow("gpt2 qk f16, layer 1") << "gpt2" << "qk" << "F16" << "1";
    QTest::newRow("llama both f32, layer 1") << "decoders/llama" << "both" << "F32" << "1";
}

void TestTraceFile::roundTrip() {
    QFETCH(QString, model);
    QFETCH(QString, holds);
    QFETCH(QString, dtype);
    QFETCH(QString, layers);
    const auto m = fixtureModel(model);
    QVERIFY(m);
    const int n = std::min(12, m->config().maxTokens());
    std::vector<int> ids(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids[size_t(i)] = (i * 131 + 7) % m->config().vocabSize;
    TraceRecorder recorder(TraceRecorder::Mode::Full);
    QVERIFY(m->forward(ids, {}, &recorder));
    const auto a = recorder.take();

    TraceWriteOptions o;
    o.matrices = holds != QLatin1String("qk");
    o.qk = holds != QLatin1String("matrices");
    o.dtype = *dtypeFromName(dtype);
    if (!layers.isEmpty()) o.layers = {layers.toInt()};
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.safetensors"));
    const Status saved = saveTraceFile(path, *a, infoFor(n), o);
    QVERIFY2(saved, qPrintable(saved.message()));
    QVERIFY(isTraceFile(path));
    auto opened = openTraceFile(path);
    QVERIFY2(opened, qPrintable(opened.message()));
    const AttentionTrace& b = *opened->trace;
    QCOMPARE(b.tokens(), n);
    QCOMPARE(b.heads(), a->heads());
    QCOMPARE(b.kvHeads(), a->kvHeads());
    QCOMPARE(b.modelLayers(), a->layers());
    QCOMPARE(b.layers(), layers.isEmpty() ? a->layers() : 1);
    QCOMPARE(b.rebuilt(), !o.matrices);
    QCOMPARE(b.hasQk(), o.qk);
    QVERIFY(b.hasV());
    QVERIFY(!b.hasValueNorms() && !b.hasLayerIo() && !b.rotary());
    QCOMPARE(opened->info.tokens, infoFor(n).tokens);
    QCOMPARE(opened->info.model, QStringLiteral("test/model"));
    // F32 is exact; 16-bit matrices round each weight; q and k rounded to 16 bits move the scores.
    const bool wide = o.dtype == DType::F32;
    const double tol = wide ? 2e-6 : (o.matrices ? (o.dtype == DType::BF16 ? 4e-3 : 5e-4) : 2e-2);
    const int64_t square = int64_t(n) * n;
    for (int l = 0; l < b.layers(); ++l) {
        const int la = b.layerNumber(l);
        QCOMPARE(la, layers.isEmpty() ? l : layers.toInt());
        QCOMPARE(b.window(l), o.qk ? a->window(la) : 0);
        for (int h = 0; h < a->heads(); ++h) {
            const HeadMatrices x = a->head(la, h), y = b.head(l, h);
            const double diff = maxDiff(x.probs(), y.probs(), square);
            QVERIFY2(diff <= tol, qPrintable(QStringLiteral("L%1 H%2 probs differ by %3").arg(la).arg(h).arg(diff)));
            if (!o.matrices) QVERIFY(y.raw());
            QVERIFY(std::abs(a->sinkShare(la, h) - b.sinkShare(l, h)) <= tol);
            const std::vector<float> row = b.probsRow(l, h, n - 1), column = b.probsColumn(l, h, 0);
            QVERIFY(maxDiff(row.data(), x.probsRow(n - 1), n) <= tol);
            for (int i = 0; i < n; ++i) QVERIFY(std::abs(column[size_t(i)] - x.prob(i, 0)) <= tol);
            for (int i : {0, n - 1}) {
                QVERIFY(maxDiff(a->vRow(la, h, i), b.vRow(l, h, i), a->headDim()) <= (wide ? 0 : 1e-2 * 8));
                if (o.qk) QVERIFY(maxDiff(a->qRow(la, h, i), b.qRow(l, h, i), a->headDim()) <= (wide ? 0 : 1e-2 * 8));
            }
        }
    }
}

void TestTraceFile::qkSummariesEqualTheForwardPass() {
    // 40 tokens of a mistral with a window of 8: the thumbnails and normalisers computed when the
    // file opens equal those the forward pass kept in its rebuilt mode.
    const auto m = fixtureModel(QStringLiteral("decoders/mistral-window"));
    QVERIFY(m);
    const int n = std::min(40, m->config().maxTokens());
    std::vector<int> ids(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids[size_t(i)] = (i * 37 + 3) % m->config().vocabSize;
    TraceRecorder recorder(TraceRecorder::Mode::Rebuilt);
    QVERIFY(m->forward(ids, {}, &recorder));
    const auto a = recorder.take();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.safetensors"));
    TraceWriteOptions o;
    o.matrices = false;
    QVERIFY(saveTraceFile(path, *a, infoFor(n), o));
    int reported = 0;
    auto opened = openTraceFile(path, nullptr, [&](int done, int total) { QCOMPARE(total, a->layers()); reported = done; });
    QVERIFY2(opened, qPrintable(opened.message()));
    QCOMPARE(reported, a->layers());
    const AttentionTrace& b = *opened->trace;
    QCOMPARE(b.thumbnailSize(), a->thumbnailSize());
    const int t = a->thumbnailSize();
    for (int l = 0; l < a->layers(); ++l)
        for (int h = 0; h < a->heads(); ++h) {
            for (bool hide : {false, true})
                QVERIFY(maxDiff(a->thumbnail(l, h, hide), b.thumbnail(l, h, hide), int64_t(t) * t) <= 1e-6);
            QVERIFY(std::abs(a->sinkShare(l, h) - b.sinkShare(l, h)) <= 1e-6);
            const std::vector<float> ra = a->probsRow(l, h, n / 2), rb = b.probsRow(l, h, n / 2);
            QVERIFY(maxDiff(ra.data(), rb.data(), n) <= 2e-6);
        }
    std::atomic<bool> cancel{true};
    auto stopped = openTraceFile(path, &cancel);
    QVERIFY(!stopped);
    QCOMPARE(stopped.message(), QStringLiteral("cancelled"));
}

void TestTraceFile::shards() {
    QTemporaryDir dir;
    Draft d = validDraft();
    Draft first = d, second = d;
    first.remove(QStringLiteral("attentions.1"));
    first.remove(QStringLiteral("v.1"));
    second.remove(QStringLiteral("attentions.0"));
    second.remove(QStringLiteral("v.0"));
    second.meta.clear();
    QVERIFY(first.write(dir.filePath(QStringLiteral("t-00001-of-00002.safetensors"))));
    QVERIFY(second.write(dir.filePath(QStringLiteral("t-00002-of-00002.safetensors"))));
    QJsonObject map{{"attentions.0", "t-00001-of-00002.safetensors"}, {"v.0", "t-00001-of-00002.safetensors"},
                    {"attentions.1", "t-00002-of-00002.safetensors"}, {"v.1", "t-00002-of-00002.safetensors"}};
    QFile index(dir.filePath(QStringLiteral("t.safetensors.index.json")));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write(QJsonDocument(QJsonObject{{"weight_map", map}}).toJson());
    index.close();
    auto opened = openTraceFile(index.fileName());
    QVERIFY2(opened, qPrintable(opened.message()));
    QCOMPARE(opened->trace->layers(), 2);
    QCOMPARE(opened->trace->head(1, 1).prob(2, 2), 0.5f);
    // A shard that is not there, and one the index names for a tensor it does not hold.
    map.insert(QStringLiteral("v.1"), QStringLiteral("missing.safetensors"));
    QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
    index.write(QJsonDocument(QJsonObject{{"weight_map", map}}).toJson());
    index.close();
    auto missing = openTraceFile(index.fileName());
    QVERIFY(!missing);
    QVERIFY2(missing.message().contains(QStringLiteral("missing.safetensors")), qPrintable(missing.message()));
    map.insert(QStringLiteral("v.1"), QStringLiteral("../t.safetensors"));
    QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
    index.write(QJsonDocument(QJsonObject{{"weight_map", map}}).toJson());
    index.close();
    auto escape = openTraceFile(index.fileName());
    QVERIFY(!escape);
    QVERIFY2(escape.message().contains(QStringLiteral("plain file name")), qPrintable(escape.message()));
}

void TestTraceFile::metadataRoundTrip() {
    TraceInfo info = infoFor(3);
    info.text = QStringLiteral("héllo 🌍 x");
    info.offsets = {{0, 0}, {0, 5}, {6, 7}};
    info.numLayers = 80;
    info.heads = 64;
    info.kvHeads = 8;
    info.headDim = 128;
    info.causal = true;
    info.scale = 0.0625f;
    info.layers = {0, 1, 2, 3, 79};
    info.windows = {0, 4096, 0, 4096, 0};
    auto back = TraceInfo::fromMetadata(info.toMetadata());
    QVERIFY2(back, qPrintable(back.message()));
    QCOMPARE(back->tokens, info.tokens);
    QCOMPARE(back->offsets, info.offsets);
    QCOMPARE(back->layers, info.layers);
    QCOMPARE(back->windows, info.windows);
    QCOMPARE(back->scale, info.scale);
    QCOMPARE(back->kvHeads, 8);
    QCOMPARE(back->text, info.text);
    QCOMPARE(layerRangesText(back->layers), QStringLiteral("0-3, 79"));
    const Encoding e = back->encoding();
    QCOMPARE(e.special, (std::vector<bool>{true, false, false}));
    auto ranges = parseLayerRanges(QStringLiteral("0-3, 79"), 80);
    QVERIFY(ranges);
    QCOMPARE(*ranges, info.layers);
    QVERIFY(!parseLayerRanges(QStringLiteral("3-1"), 80));
    QVERIFY(!parseLayerRanges(QStringLiteral("80"), 80));
    QVERIFY(!parseLayerRanges(QStringLiteral("1,1"), 80));
}

// Reading every head of a 16-bit trace keeps no widened copy for the trace's life (a trace larger than
// memory is browsed head by head through the bounded head cache; its file pages stay the kernel's).
void TestTraceFile::headsReadKeepNothing() {
    for (const char* name : {"teaching-matrices-f16.safetensors", "teaching-qk-bf16-layers.safetensors"}) {
        auto opened = openTraceFile(QStringLiteral(ATTNSCOPE_FIXTURES "/traces/") + QLatin1String(name));
        QVERIFY2(opened, qPrintable(opened.message()));
        const AttentionTrace& t = *opened->trace;
        for (int pass = 0; pass < 2; ++pass)
            for (int l = 0; l < t.layers(); ++l)
                for (int h = 0; h < t.heads(); ++h) {
                    const HeadMatrices m = t.head(l, h);
                    double sum = 0;
                    for (int b = 0; b < t.tokens(); ++b) sum += m.prob(t.tokens() - 1, b);
                    QVERIFY(std::abs(sum - 1.0) < 0.02);
                }
        QCOMPARE(t.store()->keptBytes(), uint64_t(0));
    }
}

QTEST_GUILESS_MAIN(TestTraceFile)
#include "tst_trace_file.moc"
