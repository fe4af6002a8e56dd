// Attention rollout and DINO masks on the tiny ViT, against NumPy (tests/tools/make_analysis_fixtures.py).
#include "analysis/rollout.h"
#include "model/text_analysis.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace attnscope::core;

namespace {

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

}  // namespace

class TestRollout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rollout_data();
    void rollout();
    void dino_data();
    void dino();
    void clsMapPeaksAtOne();
    void oneTokenHasNoMap();

private:
    std::shared_ptr<const AttentionTrace> m_trace;
    QJsonObject m_expected;
};

void TestRollout::initTestCase() {
    auto model = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("vit")));
    QVERIFY(model);
    auto a = analyzeImage(*model, attnscope::test::referencePixels(attnscope::test::expectedOutputs(QStringLiteral("vit"))), {});
    QVERIFY(a);
    m_trace = a->trace;
    m_expected = readJson(QStringLiteral(ATTNSCOPE_FIXTURES "/analyses/vit-rollout.json"));
    QVERIFY(!m_expected.isEmpty());
}

void TestRollout::rollout_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("fusion");
    QTest::addColumn<float>("discard");
    const char* names[] = {"mean", "max", "min"};
    for (int f = 0; f < 3; ++f)
        for (float d : {0.0f, 0.5f, 0.9f}) {
            const QString key = QStringLiteral("%1-%2").arg(QLatin1String(names[f])).arg(double(d));
            QTest::newRow(qPrintable(key)) << key << f << d;
        }
}

void TestRollout::rollout() {
    QFETCH(QString, key);
    QFETCH(int, fusion);
    QFETCH(float, discard);
    const std::vector<float> r = attentionRollout(*m_trace, HeadFusion(fusion), discard);
    const QJsonArray ref = m_expected.value(QStringLiteral("rollout")).toObject().value(key).toArray();
    const int n = m_trace->tokens();
    QCOMPARE(ref.size(), n);
    double worst = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) worst = std::max(worst, std::abs(r[size_t(i * n + j)] - ref[i].toArray()[j].toDouble()));
    QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
    for (int i = 0; i < n; ++i) {  // rows of a product of row-stochastic matrices sum to 1
        double sum = 0;
        for (int j = 0; j < n; ++j) sum += r[size_t(i * n + j)];
        QVERIFY(std::abs(sum - 1) < 1e-5);
    }
}

void TestRollout::dino_data() {
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("head");
    QTest::addColumn<float>("keep");
    QTest::newRow("1-0-0.6") << 1 << 0 << 0.6f;
    QTest::newRow("1-3-0.9") << 1 << 3 << 0.9f;
    QTest::newRow("0-2-0.3") << 0 << 2 << 0.3f;
}

void TestRollout::dino() {
    QFETCH(int, layer);
    QFETCH(int, head);
    QFETCH(float, keep);
    const auto mask = dinoMask(*m_trace, layer, head, keep);
    const QJsonArray ref = m_expected.value(QStringLiteral("dino")).toObject()
                               .value(QStringLiteral("%1-%2-%3").arg(layer).arg(head).arg(double(keep))).toArray();
    QCOMPARE(int(mask.size()), ref.size());
    for (int i = 0; i < ref.size(); ++i) QCOMPARE(int(mask[size_t(i)]), ref[i].toInt());
}

void TestRollout::clsMapPeaksAtOne() {
    const auto map = clsRolloutMap(*m_trace, HeadFusion::Mean, 0.0f);
    QCOMPARE(int(map.size()), m_trace->tokens() - 1);
    QCOMPARE(*std::max_element(map.begin(), map.end()), 1.0f);
}

// A trace of [CLS] alone (what a ViT config with image_size 0 made before configs were checked):
// no patches, so empty maps rather than reads past the end.
void TestRollout::oneTokenHasNoMap() {
    auto model = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(model);
    TraceRecorder recorder;
    QVERIFY(model->model->forward({2}, {}, &recorder));
    const auto trace = recorder.take();
    QCOMPARE(trace->tokens(), 1);
    QVERIFY(clsRolloutMap(*trace, HeadFusion::Mean, 0).empty());
    QVERIFY(dinoMask(*trace, 0, 0, 0.6f).empty());
}

QTEST_APPLESS_MAIN(TestRollout)
#include "tst_rollout.moc"
