// The rotary decoders (llama with linear and llama3 RoPE scaling, mistral's sliding window, qwen2's
// biases, qwen3's q/k norms and explicit head size, gemma3's four norms, local/global layers and
// logit soft-capping) in F32, BF16 and F16, against an independent NumPy float64 reference
// (tests/tools/make_decoder_fixtures.py), and their refusals.
#include "analysis/sinks.h"
#include "model/model_loader.h"
#include "model/text_analysis.h"
#include "reference_compare.h"
#include "test_paths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace attnscope::core;

namespace {

QString decoderFixture(const QString& name) { return QStringLiteral(ATTNSCOPE_FIXTURES "/decoders/") + name; }

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

using attnscope::test::maxError;

}  // namespace

class TestDecoders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void configParsing();
    void refused_data();
    void refused();
    void attentionSinks();
    void projectionsMatchTheTrace();
};

void TestDecoders::matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const QString& n : QDir(QStringLiteral(ATTNSCOPE_FIXTURES "/decoders")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QTest::newRow(qPrintable(n)) << n;
}

void TestDecoders::matchesReference() {
    QFETCH(QString, name);
    const QJsonObject ref = readJson(decoderFixture(name) + QStringLiteral("/expected.json"));
    QVERIFY(!ref.isEmpty());
    auto loaded = loadModelFolder(decoderFixture(name));
    QVERIFY2(loaded, qPrintable(loaded.message()));
    QVERIFY(loaded->config().isDecoder());
    std::vector<int> ids;
    for (const QJsonValue& v : ref.value(QStringLiteral("ids")).toArray()) ids.push_back(v.toInt());
    TraceRecorder recorder;
    auto out = loaded->model->forward(ids, {}, &recorder);
    QVERIFY2(out, qPrintable(out.message()));
    const auto trace = recorder.take();
    const AttentionTrace& t = *trace;
    const int n = t.tokens(), H = t.hidden();
    QCOMPARE(n, int(ids.size()));

    const double att = maxError(ref.value(QStringLiteral("attentions")).toArray(),
                                [&](const QList<int>& p) { return t.head(p[0], p[1]).prob(p[2], p[3]); });
    QVERIFY2(att <= 1e-5, qPrintable(QStringLiteral("attention max abs error %1").arg(att)));
    const double hidden = maxError(ref.value(QStringLiteral("hidden_states")).toArray(),
                                   [&](const QList<int>& p) { return t.hiddenState(p[0])[p[1] * H + p[2]]; });
    QVERIFY2(hidden <= 2e-4, qPrintable(QStringLiteral("hidden state max abs error %1").arg(hidden)));
    // q of every query head after RoPE; k and v of every key/value head (fewer under GQA).
    const int group = t.heads() / t.kvHeads();
    const double q = maxError(ref.value(QStringLiteral("q")).toArray(), [&](const QList<int>& p) { return t.qRow(p[0], p[1], p[2])[p[3]]; });
    const double k = maxError(ref.value(QStringLiteral("k")).toArray(), [&](const QList<int>& p) { return t.kRow(p[0], p[1] * group, p[2])[p[3]]; });
    const double v = maxError(ref.value(QStringLiteral("v")).toArray(), [&](const QList<int>& p) { return t.vRow(p[0], p[1] * group, p[2])[p[3]]; });
    QVERIFY2(q <= 1e-4 && k <= 1e-4 && v <= 1e-4, qPrintable(QStringLiteral("q %1, k %2, v %3").arg(q).arg(k).arg(v)));
    // Causal: no weight on the future; rows are distributions.
    for (int l = 0; l < t.layers(); ++l)
        for (int h = 0; h < t.heads(); ++h)
            for (int i = 0; i < n; ++i) {
                double sum = 0;
                for (int j = 0; j < n; ++j) {
                    sum += t.head(l, h).prob(i, j);
                    if (j > i) QCOMPARE(t.head(l, h).prob(i, j), 0.0f);
                }
                QVERIFY(std::abs(sum - 1) < 1e-5);
            }
    // Next-token predictions from the LM head (tied or not; Gemma's soft-capping).
    const auto top = loaded->model->topK(*out, ref.value(QStringLiteral("predict_position")).toInt(), 5);
    const QJsonArray refIds = ref.value(QStringLiteral("top_ids")).toArray(), refProbs = ref.value(QStringLiteral("top_probs")).toArray();
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(top[size_t(i)].id, refIds[i].toInt());
        QVERIFY(std::abs(top[size_t(i)].probability - refProbs[i].toDouble()) < 1e-5);
    }
}

void TestDecoders::configParsing() {
    auto gemma = loadModelConfig(decoderFixture(QStringLiteral("gemma3")));
    QVERIFY(gemma);
    QCOMPARE(gemma->headDim(), 16);
    QCOMPARE(gemma->kvHeads(), 2);
    QCOMPARE(gemma->decoder.localLayers, (std::vector<bool>{true, false}));
    QCOMPARE(gemma->decoder.slidingWindow, 3);
    QVERIFY(gemma->decoder.tiedEmbeddings);
    QVERIFY(std::abs(gemma->decoder.queryScale - 1 / std::sqrt(24.0f)) < 1e-7f);
    auto mistral = loadModelConfig(decoderFixture(QStringLiteral("mistral-window")));
    QVERIFY(mistral);
    QCOMPARE(mistral->decoder.localLayers, (std::vector<bool>{true, true}));
    auto llama = loadModelConfig(decoderFixture(QStringLiteral("llama3-scaled-bf16")));
    QVERIFY(llama);
    QCOMPARE(llama->decoder.rope.scaling, RopeConfig::Scaling::Llama3);
    QCOMPARE(llama->decoder.rope.originalMaxPositions, 16);
}

// Bad configs and checkpoints: a clear message naming the problem (exit 2 on the command line).
void TestDecoders::refused_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QJsonObject>("keys");  // null value: remove
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown rope_scaling") << "llama" << QJsonObject{{"rope_scaling", QJsonObject{{"rope_type", "yarn"}, {"factor", 4}}}}
                                          << "rope_scaling type 'yarn' is not supported (default, linear, llama3)";
    QTest::newRow("llama3 original positions beyond int") << "llama"
        << QJsonObject{{"rope_scaling", QJsonObject{{"rope_type", "llama3"}, {"factor", 8}, {"original_max_position_embeddings", 1e300}}}}
        << "rope_scaling llama3 needs high_freq_factor > low_freq_factor and a positive original_max_position_embeddings";
    QTest::newRow("heads do not divide hidden") << "llama" << QJsonObject{{"num_attention_heads", 5}} << "hidden size 32 is not divisible by 5 heads";
    QTest::newRow("kv heads do not divide heads") << "llama" << QJsonObject{{"num_key_value_heads", 3}}
                                                  << "3 key/value heads do not divide 4 attention heads";
    QTest::newRow("odd head_dim") << "qwen3" << QJsonObject{{"head_dim", 15}} << "head_dim 15 must be a positive even size";
    QTest::newRow("attention soft-capping") << "gemma3" << QJsonObject{{"attn_logit_softcapping", 50.0}} << "'attn_logit_softcapping' is not supported";
    QTest::newRow("mlp_bias") << "llama" << QJsonObject{{"mlp_bias", true}} << "mlp_bias true is not supported";
    QTest::newRow("unknown activation") << "llama" << QJsonObject{{"hidden_act", "relu2"}} << "hidden_act 'relu2' is not supported";
    QTest::newRow("qwen3 without q_norm") << "llama" << QJsonObject{{"model_type", "qwen3"}, {"head_dim", 8}}
                                          << "missing tensor 'model.layers.0.self_attn.q_norm.weight' (expected shape [8])";
    QTest::newRow("gemma without its norms") << "llama" << QJsonObject{{"model_type", "gemma3_text"}, {"head_dim", 8}}
                                             << "missing tensor 'model.layers.0.self_attn.q_norm.weight'";
    QTest::newRow("qwen2 without biases") << "llama" << QJsonObject{{"model_type", "qwen2"}}
                                          << "missing tensor 'model.layers.0.self_attn.q_proj.bias' (expected shape [32])";
    QTest::newRow("wrong head_dim") << "qwen3" << QJsonObject{{"head_dim", 8}}
                                    << "tensor 'model.layers.0.self_attn.q_proj.weight': expected shape [32, 32], found [64, 32]";
}

void TestDecoders::refused() {
    QFETCH(QString, fixture);
    QFETCH(QJsonObject, keys);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(attnscope::test::copyWithJsonKeys(decoderFixture(fixture), dir.path(), QStringLiteral("config.json"), keys));
    auto loaded = loadModelFolder(dir.path());
    QVERIFY(!loaded);
    QVERIFY2(loaded.message().contains(message), qPrintable(loaded.message()));
}

// "Hide first token": column 0 dropped, rows renormalised over the rest, by hand on a 3 x 3 causal
// matrix; and each head's sink share (mean weight on key 0) on a real decoder trace.
void TestDecoders::attentionSinks() {
    const float probs[9] = {1.0f, 0, 0,  //
                            0.6f, 0.4f, 0,
                            0.5f, 0.3f, 0.2f};
    const std::vector<float> hidden = withoutFirstKey(probs, 3);
    const std::vector<float> expected = {0, 0, 0, 0, 1, 0, 0, 0.6f, 0.4f};
    for (size_t i = 0; i < 9; ++i) QVERIFY2(std::abs(hidden[i] - expected[i]) < 1e-6f, qPrintable(QString::number(i)));

    auto loaded = loadModelFolder(decoderFixture(QStringLiteral("llama")));
    QVERIFY(loaded);
    auto a = analyzeText(*loaded, QStringLiteral("hello world again"), {});
    QVERIFY(a);
    const auto shares = sinkShares(*a->trace);
    QCOMPARE(int(shares.size()), a->trace->layers());
    for (int l = 0; l < a->trace->layers(); ++l)
        for (int h = 0; h < a->trace->heads(); ++h) {
            double sum = 0;
            for (int i = 0; i < a->trace->tokens(); ++i) sum += a->trace->head(l, h).prob(i, 0);
            QVERIFY(std::abs(shares[size_t(l)][size_t(h)] - sum / a->trace->tokens()) < 1e-9);
            QVERIFY(shares[size_t(l)][size_t(h)] >= 1.0 / a->trace->tokens());  // row 0 gives key 0 everything
        }
}

// The Q/K/V view's "before the rotation": q turned back equals the projection x W_q computed here
// from the checkpoint (llama: no bias, no q norm); and the trace's attnOutput (written in the
// trace's memory as the product stores it) is its context through o_proj, context W_o.
void TestDecoders::projectionsMatchTheTrace() {
    const QString folder = decoderFixture(QStringLiteral("llama"));
    auto loaded = loadModelFolder(folder);
    QVERIFY(loaded);
    auto a = analyzeText(*loaded, QStringLiteral("The animal didn't cross the road because it was tired."), {});
    QVERIFY(a);
    const AttentionTrace& t = *a->trace;
    QVERIFY(t.rotary());
    auto ckpt = Checkpoint::open(folder);
    QVERIFY(ckpt);
    const int H = t.hidden(), qw = t.shape().qWidth(), d = t.headDim();
    for (int l = 0; l < t.layers(); ++l) {
        auto w = (*ckpt)->get(QStringLiteral("model.layers.%1.self_attn.q_proj.weight").arg(l), {qw, H});
        auto wo = (*ckpt)->get(QStringLiteral("model.layers.%1.self_attn.o_proj.weight").arg(l), {H, qw});  // (out, in)
        QVERIFY(w && wo);
        double worst = 0, worstOut = 0;
        for (int i = 0; i < t.tokens(); ++i) {
            for (int h = 0; h < t.heads(); ++h) {
                const std::vector<float> before = t.unrotated(l, t.qRow(l, h, i), i);
                for (int c = 0; c < d; ++c) {
                    double q = 0;
                    for (int e = 0; e < H; ++e) q += double(t.attnInput(l)[int64_t(i) * H + e]) * w->data[int64_t(h * d + c) * H + e];
                    worst = std::max(worst, std::abs(q - before[size_t(c)]));
                }
                if (i == 0) QCOMPARE(before, std::vector<float>(t.qRow(l, h, 0), t.qRow(l, h, 0) + d));  // position 0 is not turned
            }
            for (int o = 0; o < H; ++o) {
                double y = 0;
                for (int e = 0; e < qw; ++e) y += double(t.context(l)[int64_t(i) * qw + e]) * wo->data[int64_t(o) * qw + e];
                worstOut = std::max(worstOut, std::abs(y - t.attnOutput(l)[int64_t(i) * H + o]));
            }
        }
        QVERIFY2(worst < 1e-5, qPrintable(QStringLiteral("layer %1, q: %2").arg(l).arg(worst)));
        QVERIFY2(worstOut < 1e-5, qPrintable(QStringLiteral("layer %1, attnOutput: %2").arg(l).arg(worstOut)));
    }
}

QTEST_APPLESS_MAIN(TestDecoders)
#include "tst_decoders.moc"
