// Every model family and checkpoint layout against an independent PyTorch (float64) reference
// (tests/tools/make_model_fixtures.py wrote the fixtures).
#include "model/text_analysis.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace attnscope::core;

namespace {

// Largest |ours - reference| over a nested JSON array, with ours read through `at(path)`.
template <typename At>
double maxError(const QJsonArray& ref, At at, QList<int> path = {}) {
    double worst = 0;
    for (int i = 0; i < ref.size(); ++i) {
        QList<int> p = path;
        p << i;
        const double e = ref[i].isArray() ? maxError(ref[i].toArray(), at, p) : std::abs(double(at(p)) - ref[i].toDouble());
        worst = std::max(worst, e);
    }
    return worst;
}

}  // namespace

class TestModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
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
                                [&](const QList<int>& p) { return t.probs(p[0], p[1])[p[2] * n + p[3]]; });
    QVERIFY2(att <= 1e-5, qPrintable(QStringLiteral("attention max abs error %1").arg(att)));
    // The reference's scores are q.k / sqrt(d) before the mask.
    const double scores = maxError(ref.value(QStringLiteral("scores")).toArray(), [&](const QList<int>& p) {
        return t.rawScores(p[0], p[1])[p[2] * n + p[3]] / std::sqrt(float(d));
    });
    for (int l = 0; l < t.layers(); ++l)  // and ours, masked, hide the future in decoders
        QCOMPARE(std::isinf(t.scores(l, 0)[1]), t.shape().causal);
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
                for (int j = 0; j < n; ++j) sum += t.prob(l, h, i, j);
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

QTEST_APPLESS_MAIN(TestModels)
#include "tst_models.moc"
