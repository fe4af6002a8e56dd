// Every model family and checkpoint layout against an independent PyTorch (float64) reference
// (tests/tools/make_model_fixtures.py wrote the fixtures).
#include "model/text_analysis.h"
#include "reference_compare.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace attnscope::core;

using attnscope::test::maxError;

class TestModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void robertaPadPositions();
    void projectionsMatchTheTrace_data();
    void projectionsMatchTheTrace();
};

void TestModels::matchesReference_data() {
    QTest::addColumn<QString>("fixture");
    for (const QString& name : attnscope::test::modelFixtureNames()) QTest::newRow(qPrintable(name)) << name;
}

void TestModels::matchesReference() {
    QFETCH(QString, fixture);
    const QJsonObject ref = attnscope::test::expectedOutputs(fixture);
    QVERIFY(!ref.isEmpty());
    auto loaded = loadModelFolder(attnscope::test::modelFixture(fixture));
    QVERIFY2(loaded, qPrintable(loaded.message()));
    const bool vision = loaded->config().isVision();
    const ImageTensor pixels = attnscope::test::referencePixels(ref);
    auto a = vision ? analyzeImage(*loaded, pixels, {}) : analyzeText(*loaded, ref.value(QStringLiteral("text")).toString(), {});
    QVERIFY2(a, qPrintable(a.message()));

    QList<int> ids;
    for (const QJsonValue& v : ref.value(QStringLiteral("ids")).toArray()) ids << v.toInt();
    QCOMPARE(QList<int>(a->encoding.ids.begin(), a->encoding.ids.end()), ids);

    const AttentionTrace& t = *a->trace;
    const int n = t.tokens(), H = t.hidden(), d = t.headDim();
    const double att = maxError(ref.value(QStringLiteral("attentions")).toArray(),
                                [&](const QList<int>& p) { return t.head(p[0], p[1]).prob(p[2], p[3]); });
    QVERIFY2(att <= 1e-5, qPrintable(QStringLiteral("attention max abs error %1").arg(att)));
    // The reference's scores are q.k / sqrt(d) before the mask.
    const double scores = maxError(ref.value(QStringLiteral("scores")).toArray(), [&](const QList<int>& p) {
        return t.head(p[0], p[1]).raw()[p[2] * n + p[3]] / std::sqrt(float(d));
    });
    QVERIFY(!t.head(0, 0).scores());  // not kept unless asked for (tst_rebuilt_trace)
    QVERIFY2(scores <= 1e-4, qPrintable(QStringLiteral("scores max abs error %1").arg(scores)));
    const double hidden = maxError(ref.value(QStringLiteral("hidden_states")).toArray(),
                                   [&](const QList<int>& p) { return t.hiddenState(p[0])[p[1] * H + p[2]]; });
    QVERIFY2(hidden <= 1e-4, qPrintable(QStringLiteral("hidden state max abs error %1").arg(hidden)));
    for (const char* name : {"q", "k", "v"}) {
        const double e = maxError(ref.value(QLatin1String(name)).toArray(), [&](const QList<int>& p) {
            const float* m = name[0] == 'q' ? t.q(p[0]) : name[0] == 'k' ? t.k(p[0]) : t.v(p[0]);
            return m[p[2] * H + p[1] * d + p[3]];
        });
        QVERIFY2(e <= 1e-4, qPrintable(QStringLiteral("%1 max abs error %2").arg(QLatin1String(name)).arg(e)));
    }
    // Every row of every head is a distribution.
    for (int l = 0; l < t.layers(); ++l)
        for (int h = 0; h < t.heads(); ++h)
            for (int i = 0; i < n; ++i) {
                double sum = 0;
                for (int j = 0; j < n; ++j) sum += t.head(l, h).prob(i, j);
                QVERIFY(std::abs(sum - 1) < 1e-5);
            }

    if (vision) {
        QCOMPARE(a->encoding.tokens.at(1), QStringLiteral("p(0,0)"));
        QVERIFY(loaded->model->hasClassifier());
        const auto logits = loaded->model->classLogits(a->output);
        const QJsonArray refLogits = ref.value(QStringLiteral("class_logits")).toArray();
        QCOMPARE(int(logits.size()), int(refLogits.size()));
        for (int i = 0; i < refLogits.size(); ++i) QVERIFY(std::abs(logits[size_t(i)] - refLogits[i].toDouble()) < 1e-4);
        QCOMPARE(loaded->config().labels.at(2), QStringLiteral("triangle"));
    } else if (ref.contains(QStringLiteral("top_ids"))) {
        QVERIFY(loaded->model->hasLmHead());
        const int pos = ref.value(QStringLiteral("predict_position")).toInt();
        const auto top = loaded->model->topK(a->output, pos, 5);
        const QJsonArray refIds = ref.value(QStringLiteral("top_ids")).toArray();
        const QJsonArray refProbs = ref.value(QStringLiteral("top_probs")).toArray();
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(top[size_t(i)].id, refIds[i].toInt());
            QVERIFY(std::abs(top[size_t(i)].probability - refProbs[i].toDouble()) < 1e-5);
        }
    } else {
        QVERIFY(!loaded->model->hasLmHead());
    }
}

// The trace's tensors are what the projections read and wrote, with the checkpoint's own weights:
// q = attnInput W_q + b (the Q/K/V view's "input x"; GPT-2 once recorded ln_2's output there, which
// reused ln_1's buffer) and attnOutput = context W_o + b_o (both now written in the trace's memory
// as they are computed).
void TestModels::projectionsMatchTheTrace_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("weight");  // %1 = layer
    QTest::addColumn<bool>("conv1d");     // (in, columns) Conv1D storage, else nn.Linear's (out, in)
    QTest::addColumn<int>("columns");     // of the stored weight, in hidden sizes (GPT-2's c_attn: q, k, v)
    QTest::addColumn<bool>("output");     // context -> attnOutput, else attnInput -> q
    QTest::newRow("gpt2 queries") << QStringLiteral("gpt2") << QStringLiteral("h.%1.attn.c_attn") << true << 3 << false;
    QTest::newRow("gpt2 output") << QStringLiteral("gpt2") << QStringLiteral("h.%1.attn.c_proj") << true << 1 << true;
    QTest::newRow("bert queries") << QStringLiteral("bert") << QStringLiteral("bert.encoder.layer.%1.attention.self.query") << false << 1 << false;
    QTest::newRow("bert output") << QStringLiteral("bert") << QStringLiteral("bert.encoder.layer.%1.attention.output.dense") << false << 1 << true;
}

void TestModels::projectionsMatchTheTrace() {
    QFETCH(QString, fixture);
    QFETCH(QString, weight);
    QFETCH(bool, conv1d);
    QFETCH(int, columns);
    QFETCH(bool, output);
    const QString folder = attnscope::test::modelFixture(fixture);
    auto loaded = loadModelFolder(folder);
    QVERIFY(loaded);
    auto a = analyzeText(*loaded, QStringLiteral("The animal didn't cross the road because it was tired."), {});
    QVERIFY(a);
    auto ckpt = Checkpoint::open(folder);
    QVERIFY(ckpt);
    const AttentionTrace& t = *a->trace;
    const int H = t.hidden(), ldw = conv1d ? columns * H : H;
    for (int l = 0; l < t.layers(); ++l) {
        QString base = weight.arg(l);
        if (!(*ckpt)->has(base + QStringLiteral(".weight"))) base = base.section(QLatin1Char('.'), 1);  // without the prefix
        auto w = (*ckpt)->get(base + QStringLiteral(".weight"), conv1d ? Shape{H, ldw} : Shape{H, H});
        auto b = (*ckpt)->get(base + QStringLiteral(".bias"), {columns * H});
        QVERIFY2(w && b, qPrintable(base));
        const float* in = output ? t.context(l) : t.attnInput(l);   // (n, H)
        const float* out = output ? t.attnOutput(l) : t.q(l);       // (n, H)
        double worst = 0;
        for (int i = 0; i < t.tokens(); ++i)
            for (int o = 0; o < H; ++o) {
                double y = b->data[o];
                for (int e = 0; e < H; ++e)
                    y += double(in[int64_t(i) * H + e]) * (conv1d ? w->data[int64_t(e) * ldw + o] : w->data[int64_t(o) * H + e]);
                worst = std::max(worst, std::abs(y - out[int64_t(i) * H + o]));
            }
        QVERIFY2(worst < 1e-4, qPrintable(QStringLiteral("layer %1: %2").arg(l).arg(worst)));
    }
}

// transformers' create_position_ids_from_input_ids: a <pad> typed in the text takes position
// padding_idx (1) and the tokens after it are numbered as if it were not there. Embedding rows
// depend only on (token, position), so each row of [<s> a <pad> b </s>] must equal the row of the
// same token at the same position in an input that has it there: b here is b in [<s> a b </s>],
// the <pad> is [<pad>] alone (position 1 either way).
void TestModels::robertaPadPositions() {
    auto loaded = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("roberta")));
    QVERIFY2(loaded, qPrintable(loaded->config().name));
    const Model& m = *loaded->model;
    const int pad = loaded->config().padTokenId, H = loaded->config().hidden;
    const int s = loaded->tokenizer->id(QStringLiteral("<s>")), e = loaded->tokenizer->id(QStringLiteral("</s>"));
    const int a = 10, b = 20;
    auto embeddings = [&](const std::vector<int>& ids) {
        TraceRecorder rec;
        auto out = m.forward(ids, {}, &rec);
        auto t = rec.take();
        return std::vector<float>(t->hiddenState(0), t->hiddenState(0) + ids.size() * size_t(H));
    };
    const std::vector<float> padded = embeddings({s, a, pad, b, e}), plain = embeddings({s, a, b, e}), alone = embeddings({pad});
    auto diff = [&](const std::vector<float>& x, int i, const std::vector<float>& y, int j) {
        float worst = 0;  // rows of different inputs may round differently in the last bit
        for (int c = 0; c < H; ++c) worst = std::max(worst, std::abs(x[size_t(i * H + c)] - y[size_t(j * H + c)]));
        return worst;
    };
    QVERIFY(diff(padded, 3, plain, 2) < 1e-5f);  // b: position 4 in both
    QVERIFY(diff(padded, 4, plain, 3) < 1e-5f);  // </s>: position 5 in both
    QVERIFY(diff(padded, 2, alone, 0) < 1e-5f);  // <pad>: position 1
    QVERIFY(diff(padded, 3, padded, 4) > 1e-2f);  // and the rows do differ (the check can fail)
    // And through the tokenizer: a literal <pad> in the text is that token.
    auto enc = loaded->tokenizer->encode(QStringLiteral("a<pad>b"));
    QVERIFY(enc);
    QVERIFY(std::find(enc->ids.begin(), enc->ids.end(), pad) != enc->ids.end());
}

QTEST_APPLESS_MAIN(TestModels)
#include "tst_models.moc"
