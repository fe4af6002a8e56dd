// Long prompts' traces: heads rebuilt on request from q and k equal the matrices the forward pass
// computed (every family, sliding windows included; to float rounding: the products run on other
// buffers, whose alignment may change the order of Eigen's sums), the kept thumbnails and sink shares equal
// those computed from the full matrices, the cache stays within its budget, and exports of a
// selection write the selected heads.
#include "analysis/sinks.h"
#include "io/trace_export.h"
#include "model/model_loader.h"
#include "model/synthetic_model.h"
#include "test_paths.h"
#include "trace/attention_trace.h"
#include "trace/head_summary.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace attnscope::core;
using attnscope::test::modelFixture;

namespace {

std::shared_ptr<Model> tinyLlama(int window) {
    QJsonObject json{{"model_type", "mistral"},       {"hidden_size", 64},       {"num_hidden_layers", 2}, {"num_attention_heads", 4},
                     {"num_key_value_heads", 2},      {"intermediate_size", 96}, {"vocab_size", 300},      {"max_position_embeddings", 512},
                     {"tie_word_embeddings", true},   {"rms_norm_eps", 1e-5}};
    if (window > 0) json.insert(QStringLiteral("sliding_window"), window);
    auto config = parseModelConfig(json);
    if (!config) return nullptr;
    auto model = buildModel(*config, Checkpoint::synthetic(5, DType::BF16));
    return model ? std::const_pointer_cast<Model>(*model) : nullptr;
}

std::shared_ptr<const Model> fixtureModel(const QString& name) {
    const QString folder = name.startsWith(QLatin1String("decoders/")) ? QStringLiteral(ATTNSCOPE_FIXTURES "/") + name : modelFixture(name);
    auto loaded = loadModelFolder(folder);
    return loaded ? loaded->model : nullptr;
}

std::vector<int> someIds(int n, int vocab) {
    std::vector<int> ids(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids[size_t(i)] = (i * 131 + 7) % vocab;
    return ids;
}

// Largest difference, relative to the value where it is above 1 (raw scores run to tens); masked
// cells (-inf) must match exactly.
double maxDiff(const float* a, const float* b, int64_t count) {
    double worst = 0;
    for (int64_t i = 0; i < count; ++i) {
        if (std::isinf(a[i]) || std::isinf(b[i])) {
            if (a[i] != b[i]) return INFINITY;
            continue;
        }
        worst = std::max(worst, double(std::abs(a[i] - b[i])) / std::max(1.0, double(std::abs(a[i]))));
    }
    return worst;
}

}  // namespace

class TestRebuiltTrace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equalsTheFullTrace_data();
    void equalsTheFullTrace();
    void fullTraceRebuildsRawOnRequest_data();
    void fullTraceRebuildsRawOnRequest();
    void autoModeFollowsTheSize();
    void cacheStaysWithinItsBudget();
    void exportsTheSelection();
};

void TestRebuiltTrace::equalsTheFullTrace_data() {
    QTest::addColumn<QString>("model");  // a fixture, or "tiny" (a BF16 mistral, 300 tokens: real downsampling)
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("window");
    for (const char* name : {"bert", "gpt2", "distilbert", "decoders/llama", "decoders/mistral-window", "decoders/gemma3", "decoders/qwen3"})
        QTest::newRow(name) << QString::fromLatin1(name) << 0 << 0;
    QTest::newRow("tiny, 300 tokens") << QStringLiteral("tiny") << 300 << 0;
    QTest::newRow("tiny, 300 tokens, window 40") << QStringLiteral("tiny") << 300 << 40;
    QTest::newRow("tiny, 129 tokens") << QStringLiteral("tiny") << 129 << 0;
}

void TestRebuiltTrace::equalsTheFullTrace() {
    QFETCH(QString, model);
    QFETCH(int, tokens);
    QFETCH(int, window);
    const std::shared_ptr<const Model> m = model == QLatin1String("tiny") ? tinyLlama(window) : fixtureModel(model);
    QVERIFY(m);
    const int n = tokens > 0 ? tokens : std::min(12, m->config().maxTokens());
    const std::vector<int> ids = someIds(n, m->config().vocabSize);
    TraceRecorder full(TraceRecorder::Mode::Full), rebuilt(TraceRecorder::Mode::Rebuilt), scored(TraceRecorder::Mode::Full);
    scored.setKeepScores(true);
    QVERIFY(m->forward(ids, {}, &full));
    QVERIFY(m->forward(ids, {}, &rebuilt));
    QVERIFY(m->forward(ids, {}, &scored));
    const auto a = full.take(), b = rebuilt.take(), kept = scored.take();
    QVERIFY(!kept->rebuilt() && kept->hasScores() && !a->hasScores());
    QVERIFY(!a->rebuilt() && b->rebuilt());
    QCOMPARE(b->thumbnailSize(), std::min(n, kThumbnailSize));
    const int64_t square = int64_t(n) * n, t = b->thumbnailSize();
    for (int l = 0; l < a->layers(); ++l) {
        QCOMPARE(b->window(l), a->window(l));
        // The same products from scratch instead of the trace's blocks (alignment may change Eigen's order).
        const double contextDiff = maxDiff(a->context(l), b->context(l), int64_t(n) * a->shape().qWidth());
        QVERIFY2(contextDiff <= 1e-5, qPrintable(QString::number(contextDiff)));
        std::vector<float> headsMean(size_t(square), 0.0f);  // cached by both traces
        for (int h = 0; h < a->heads(); ++h)
            for (int64_t i = 0; i < square; ++i) headsMean[size_t(i)] += a->head(l, h).probs()[i] / float(a->heads());
        QVERIFY(maxDiff(headsMean.data(), a->meanOfHeads(l).probs(), square) <= 1e-6);
        QVERIFY(maxDiff(headsMean.data(), b->meanOfHeads(l).probs(), square) <= 1e-6);
        for (int h = 0; h < a->heads(); ++h) {
            const HeadMatrices x = a->head(l, h), y = b->head(l, h);
            QVERIFY2(maxDiff(x.raw(), y.raw(), square) <= 1e-5, qPrintable(QStringLiteral("raw L%1 H%2: %3").arg(l).arg(h).arg(maxDiff(x.raw(), y.raw(), square))));
            QVERIFY(!x.scores() && !y.scores());  // not kept unless asked for: raw times the scale
            // Kept: raw / sqrt(d) (decoders: raw * scale), -inf where masked; the same probabilities.
            const HeadMatrices z = kept->head(l, h);
            const ForwardShape& s = a->shape();
            for (int q = 0; q < n; ++q)
                for (int k = 0; k < n; ++k) {
                    const bool masked = (s.causal && k > q) || (a->window(l) > 0 && k <= q - a->window(l));
                    const float raw = z.raw()[q * n + k], score = z.scores()[q * n + k];
                    const float expected = masked ? -INFINITY : s.multiplies ? raw * s.scale() : raw / std::sqrt(float(s.headDim));
                    if (score != expected) QFAIL(qPrintable(QStringLiteral("score L%1 H%2 (%3, %4): %5, expected %6").arg(l).arg(h).arg(q).arg(k).arg(score).arg(expected)));
                }
            QVERIFY(maxDiff(z.probs(), x.probs(), square) <= 1e-6);  // the scores' pass may round exp's argument apart
            // Single rows and columns from q, k and the kept log-sum-exp, without the matrix.
            for (int at : {0, n / 2, n - 1}) {
                const std::vector<float> row = b->probsRow(l, h, at), column = b->probsColumn(l, h, at);
                std::vector<float> fullColumn(static_cast<size_t>(n));
                for (int i = 0; i < n; ++i) fullColumn[size_t(i)] = x.prob(i, at);
                QVERIFY2(maxDiff(x.probsRow(at), row.data(), n) <= 2e-6, qPrintable(QStringLiteral("row %1").arg(at)));
                QVERIFY2(maxDiff(fullColumn.data(), column.data(), n) <= 2e-6, qPrintable(QStringLiteral("column %1").arg(at)));
                QCOMPARE(a->probsRow(l, h, at), std::vector<float>(x.probsRow(at), x.probsRow(at) + n));
            }
            QVERIFY2(maxDiff(x.probs(), y.probs(), square) <= 1e-6, qPrintable(QStringLiteral("probs L%1 H%2").arg(l).arg(h)));
            QVERIFY(std::abs(a->sinkShare(l, h) - b->sinkShare(l, h)) < 1e-6);
            QVERIFY(std::abs(sinkShare(*a, l, h) - meanFirstKeyWeight(x.probs(), n)) < 1e-12);
            // The kept thumbnails: block means of the full matrix, and of it without the first key.
            const std::vector<float> hidden = withoutFirstKey(x.probs(), n);
            std::vector<double> mean(size_t(t * t), 0.0), meanHidden(mean.size(), 0.0), cells(mean.size(), 0.0);
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    const size_t at = size_t(int64_t(i) * t / n * t + int64_t(j) * t / n);
                    mean[at] += x.prob(i, j);
                    meanHidden[at] += hidden[size_t(i) * size_t(n) + size_t(j)];
                    cells[at] += 1;
                }
            double worst = 0;
            for (size_t c = 0; c < mean.size(); ++c) {
                worst = std::max(worst, std::abs(b->thumbnail(l, h, false)[c] - mean[c] / cells[c]));
                worst = std::max(worst, std::abs(b->thumbnail(l, h, true)[c] - meanHidden[c] / cells[c]));
            }
            QVERIFY2(worst < 1e-6, qPrintable(QStringLiteral("thumbnail L%1 H%2: %3").arg(l).arg(h).arg(worst)));
        }
    }
}

void TestRebuiltTrace::fullTraceRebuildsRawOnRequest_data() {
    QTest::addColumn<QString>("model");
    for (const char* name : {"bert", "gpt2", "decoders/llama"}) QTest::newRow(name) << QString::fromLatin1(name);
    QTest::newRow("tiny, GQA, window 5") << QStringLiteral("tiny");
}

// A full trace holds probabilities, not raw scores: raw() multiplies the head's q and k on first
// use (into the cache), and gives q_a . k_b of the trace's own rows.
void TestRebuiltTrace::fullTraceRebuildsRawOnRequest() {
    QFETCH(QString, model);
    const std::shared_ptr<const Model> m = model == QLatin1String("tiny") ? tinyLlama(5) : fixtureModel(model);
    QVERIFY(m);
    const int n = std::min(14, m->config().maxTokens());
    TraceRecorder full(TraceRecorder::Mode::Full);
    QVERIFY(m->forward(someIds(n, m->config().vocabSize), {}, &full));
    const auto t = full.take();
    QVERIFY(!t->rebuilt());
    QCOMPARE(t->cachedBytes(), size_t(0));  // nothing of raw made by the forward pass
    for (int l = 0; l < t->layers(); ++l)
        for (int h = 0; h < t->heads(); ++h) {
            const HeadMatrices x = t->head(l, h);
            const float* raw = x.raw();
            QVERIFY(raw);
            QCOMPARE(x.raw(), raw);  // made once
            double worst = 0;
            for (int a = 0; a < n; ++a)
                for (int b = 0; b < n; ++b) {
                    double dot = 0;
                    for (int c = 0; c < t->headDim(); ++c) dot += double(t->qRow(l, h, a)[c]) * double(t->kRow(l, h, b)[c]);
                    worst = std::max(worst, std::abs(dot - double(raw[a * n + b])) / std::max(1.0, std::abs(dot)));
                }
            QVERIFY2(worst <= 1e-5, qPrintable(QStringLiteral("L%1 H%2: %3").arg(l).arg(h).arg(worst)));
        }
    QVERIFY(t->cachedBytes() > 0);
}

// A short input keeps its matrices; one whose blocks pass kFullTraceBytes keeps q and k.
void TestRebuiltTrace::autoModeFollowsTheSize() {
    ForwardShape s{512, 12, 12, 64, 768, false};
    QVERIFY(!TraceRecorder::rebuildsHeads(s, TraceRecorder::Mode::Auto));  // bert-base at 512: 453 MB
    s = ForwardShape{2048, 16, 32, 64, 2048, true};
    QVERIFY(TraceRecorder::rebuildsHeads(s, TraceRecorder::Mode::Auto));  // llama-1b at 2048: 25.8 GB
    QVERIFY(TraceRecorder::rebuildsHeads(ForwardShape{4, 1, 1, 4, 4, false}, TraceRecorder::Mode::Rebuilt));
    QVERIFY(!TraceRecorder::rebuildsHeads(s, TraceRecorder::Mode::Full));
}

void TestRebuiltTrace::cacheStaysWithinItsBudget() {
    const size_t perHead = 3 * 100 * sizeof(float);
    HeadCache cache(3 * perHead + 1);
    int builds = 0;
    auto build = [&] {
        ++builds;
        auto b = std::make_shared<HeadBlock>();
        b->raw.assign(100, float(builds));
        b->scores.assign(100, 0.0f);
        b->probs.assign(100, 0.0f);
        return std::shared_ptr<const HeadBlock>(b);
    };
    const auto first = cache.get(0, 0, build);
    QCOMPARE(cache.get(0, 0, build).get(), first.get());  // cached
    QCOMPARE(builds, 1);
    for (int h = 1; h < 6; ++h) cache.get(0, h, build);
    QCOMPARE(builds, 6);
    QVERIFY(cache.bytes() <= 3 * perHead + 1);
    QCOMPARE(first->raw[0], 1.0f);  // evicted, still alive for its holder
    cache.get(0, 0, build);
    QCOMPARE(builds, 7);  // rebuilt after eviction
    cache.get(0, 5, build);
    QCOMPARE(builds, 7);  // the most recent are kept
}

void TestRebuiltTrace::exportsTheSelection() {
    const auto m = tinyLlama(0);
    QVERIFY(m);
    const int n = 150;
    TraceRecorder rec(TraceRecorder::Mode::Rebuilt);
    QVERIFY(m->forward(someIds(n, 300), {}, &rec));
    const auto t = rec.take();
    const TraceSelection sel{{1}, {3, 0}};
    QBuffer npy;
    npy.open(QIODevice::WriteOnly);
    QVERIFY(writeAttentionsNpy(npy, *t, sel));
    const QByteArray bytes = npy.data();
    QVERIFY(bytes.contains("'shape': (1, 2, 150, 150)"));
    const int64_t square = int64_t(n) * n;
    const auto* data = reinterpret_cast<const float*>(bytes.constData() + bytes.size() - 2 * square * 4);
    QCOMPARE(maxDiff(data, t->head(1, 3).probs(), square), 0.0);
    QCOMPARE(maxDiff(data + square, t->head(1, 0).probs(), square), 0.0);

    Encoding e;
    for (int i = 0; i < n; ++i) {
        e.ids.push_back(i);
        e.tokens << QStringLiteral("t%1").arg(i);
        e.offsets.push_back({i, i + 1});
        e.special.push_back(false);
    }
    QBuffer json;
    json.open(QIODevice::WriteOnly);
    QVERIFY(writeTraceJson(json, {QStringLiteral("mistral"), &e, false, t.get(), sel, {}}, {QStringLiteral("scores")}));
    const QJsonObject o = QJsonDocument::fromJson(json.data()).object();
    QCOMPARE(o.value(QStringLiteral("layers")).toArray(), QJsonArray({1}));
    QCOMPARE(o.value(QStringLiteral("heads")).toArray(), QJsonArray({3, 0}));
    const QJsonArray att = o.value(QStringLiteral("attentions")).toArray();
    QCOMPARE(att.size(), 1);
    QCOMPARE(att[0].toArray().size(), 2);
    QCOMPARE(float(att[0].toArray()[1].toArray()[140].toArray()[17].toDouble()), t->head(1, 0).prob(140, 17));
    QCOMPARE(o.value(QStringLiteral("sink_share")).toArray()[0].toArray()[0].toDouble(), t->sinkShare(1, 3));
    QCOMPARE(o.value(QStringLiteral("scores")).toArray()[0].toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestRebuiltTrace)
#include "tst_rebuilt_trace.moc"
