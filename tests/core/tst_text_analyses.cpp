// Value-weighted norms, ablation and the logit lens against an independent float64 PyTorch
// reference (tests/tools/make_text_analysis_fixtures.py), and the hand-computed small cases of
// token alignment, comparison, the head list and the softmax top-k.
#include "analysis/compare.h"
#include "analysis/logit_lens.h"
#include "analysis/rollout.h"
#include "analysis/value_norms.h"
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

QJsonObject reference() {
    QFile f(QStringLiteral(ATTNSCOPE_FIXTURES "/analyses/text-analyses.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int> idsOf(const QJsonObject& o) {
    std::vector<int> ids;
    for (const auto& v : o.value(QStringLiteral("ids")).toArray()) ids.push_back(v.toInt());
    return ids;
}

std::vector<HeadRef> ablatedOf(const QJsonObject& ref) {
    std::vector<HeadRef> off;
    for (const auto& v : ref.value(QStringLiteral("ablate")).toArray()) off.push_back({v.toArray()[0].toInt(), v.toArray()[1].toInt()});
    return off;
}

// The forward pass of a fixture, recorded, with value norms and the given heads off.
std::shared_ptr<const AttentionTrace> run(const LoadedModel& m, const std::vector<int>& ids, const std::vector<HeadRef>& off,
                                          ForwardOutput* output = nullptr) {
    TraceRecorder recorder(TraceRecorder::Mode::Full);
    recorder.setValueNorms(true);
    AblationSink sink(&recorder, off);
    auto out = m.model->forward(ids, {}, &sink);
    if (!out) return nullptr;
    if (output) *output = *out;
    return recorder.take();
}

}  // namespace

class TestTextAnalyses : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void decoderLens_data();
    void decoderLens();
    void rolloutThroughALayer();
    void ablationLeavesOtherRunsAlone();
    void valueWeightedTraceRowsSumToOne();
    void lensRefusesWithoutHead();
    void alignment_data();
    void alignment();
    void comparisonHandComputed();
    void headRefs_data();
    void headRefs();
    void softmaxTop();
};

void TestTextAnalyses::matchesReference_data() {
    QTest::addColumn<QString>("fixture");
    QTest::newRow("bert (post-LN, MLM head)") << QStringLiteral("bert");
    QTest::newRow("gpt2 (pre-LN, ln_f + tied head)") << QStringLiteral("gpt2");
}

void TestTextAnalyses::matchesReference() {
    QFETCH(QString, fixture);
    const QJsonObject all = reference();
    QVERIFY2(!all.isEmpty(), "tests/fixtures/analyses/text-analyses.json is missing");
    const QJsonObject ref = all.value(fixture).toObject();
    auto m = loadModelFolder(attnscope::test::modelFixture(fixture));
    QVERIFY2(m, qPrintable(m ? QString() : m.error().message));
    const std::vector<int> ids = idsOf(ref);
    const int n = int(ids.size());
    auto trace = run(*m, ids, {});
    QVERIFY(trace && trace->hasValueNorms());

    // norms [L][H][n][n]
    const QJsonArray norms = ref.value(QStringLiteral("norms")).toArray();
    double worst = 0;
    for (int l = 0; l < trace->layers(); ++l)
        for (int h = 0; h < trace->heads(); ++h) {
            const std::vector<float> got = valueWeightedNorms(*trace, l, h);
            const QJsonArray rows = norms[l].toArray()[h].toArray();
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) worst = std::max(worst, std::abs(got[size_t(i * n + j)] - rows[i].toArray()[j].toDouble()));
        }
    QVERIFY2(worst < 2e-5, qPrintable(QStringLiteral("norms differ by %1").arg(worst)));

    // The lens: top ids at every layer and token, probabilities to 1e-5.
    auto lens = logitLens(*m->model, *trace, 3);
    QVERIFY(lens);
    QCOMPARE(lens->layers, trace->layers() + 1);
    const QJsonArray refLens = ref.value(QStringLiteral("lens")).toArray();
    for (int l = 0; l < lens->layers; ++l)
        for (int i = 0; i < n; ++i)
            for (int r = 0; r < 3; ++r) {
                const QJsonArray cell = refLens[l].toArray()[i].toArray()[r].toArray();
                const TokenScore& s = lens->at(l, i)[r];
                QVERIFY2(s.id == cell[0].toInt() && std::abs(s.probability - cell[1].toDouble()) < 1e-5,
                         qPrintable(QStringLiteral("layer %1 token %2 rank %3: %4 (%5), expected %6 (%7)")
                                        .arg(l).arg(i).arg(r).arg(s.id).arg(s.probability).arg(cell[0].toInt()).arg(cell[1].toDouble())));
            }

    // Ablation: the attentions of every layer, and the model's own final predictions.
    ForwardOutput out;
    auto off = run(*m, ids, ablatedOf(all), &out);
    QVERIFY(off);
    const QJsonArray att = ref.value(QStringLiteral("ablated_attentions")).toArray();
    worst = 0;
    for (int l = 0; l < off->layers(); ++l)
        for (int h = 0; h < off->heads(); ++h) {
            const HeadMatrices hm = off->head(l, h);
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) worst = std::max(worst, std::abs(hm.prob(i, j) - att[l].toArray()[h].toArray()[i].toArray()[j].toDouble()));
        }
    QVERIFY2(worst < 2e-6, qPrintable(QStringLiteral("ablated attentions differ by %1").arg(worst)));
    const QJsonArray final = ref.value(QStringLiteral("ablated_final")).toArray();
    for (int i = 0; i < n; ++i) {
        const auto top = m->model->topK(out, i, 3);
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(top[size_t(r)].id, final[i].toArray()[r].toArray()[0].toInt());
            QVERIFY(std::abs(top[size_t(r)].probability - final[i].toArray()[r].toArray()[1].toDouble()) < 1e-5);
        }
    }
    // The ablated heads' context is zero; their weights are still there.
    for (const HeadRef& r : ablatedOf(all))
        for (int i = 0; i < n; ++i) {
            const float* c = off->contextRow(r.layer, r.head, i);
            for (int k = 0; k < off->headDim(); ++k) QCOMPARE(c[k], 0.0f);
        }
}

void TestTextAnalyses::decoderLens_data() {
    QTest::addColumn<QString>("fixture");
    QTest::newRow("llama (RMSNorm, tied head)") << QStringLiteral("llama");
    QTest::newRow("gemma3 (1 + w norm, own head, soft-capping)") << QStringLiteral("gemma3");
}

// The decoders' lens against their independent reference's hidden states through RMSNorm and head.
void TestTextAnalyses::decoderLens() {
    QFETCH(QString, fixture);
    const QJsonObject ref = reference().value(fixture).toObject();
    QVERIFY(!ref.isEmpty());
    auto m = loadModelFolder(QStringLiteral(ATTNSCOPE_FIXTURES "/decoders/") + fixture);
    QVERIFY2(m, qPrintable(m ? QString() : m.error().message));
    const std::vector<int> ids = idsOf(ref);
    TraceRecorder recorder;
    QVERIFY(m->model->forward(ids, {}, &recorder));
    auto lens = logitLens(*m->model, *recorder.take(), 3);
    QVERIFY(lens);
    const QJsonArray refLens = ref.value(QStringLiteral("lens")).toArray();
    QCOMPARE(lens->layers, int(refLens.size()));
    for (int l = 0; l < lens->layers; ++l)
        for (int i = 0; i < lens->tokens; ++i)
            for (int r = 0; r < 3; ++r) {
                const QJsonArray cell = refLens[l].toArray()[i].toArray()[r].toArray();
                const TokenScore& s = lens->at(l, i)[r];
                QVERIFY2(s.id == cell[0].toInt() && std::abs(s.probability - cell[1].toDouble()) < 2e-5,
                         qPrintable(QStringLiteral("layer %1 token %2 rank %3: %4 (%5), expected %6 (%7)")
                                        .arg(l).arg(i).arg(r).arg(s.id).arg(s.probability).arg(cell[0].toInt()).arg(cell[1].toDouble())));
            }
}

void TestTextAnalyses::rolloutThroughALayer() {
    auto m = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(m);
    const std::vector<int> ids = idsOf(reference().value(QStringLiteral("bert")).toObject());
    auto t = run(*m, ids, {});
    const int n = t->tokens();
    // Through layer 0: (mean of heads + I) / 2, rows renormalised (they already sum to 1).
    const std::vector<float> first = attentionRollout(*t, HeadFusion::Mean, 0.0f, 0);
    const std::vector<float> mean = fusedHeads(*t, 0, HeadFusion::Mean);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            QVERIFY(std::abs(first[size_t(i * n + j)] - (mean[size_t(i * n + j)] + (i == j ? 1.0f : 0.0f)) / 2) < 1e-6f);
    // Through the last layer: the full rollout.
    const std::vector<float> all = attentionRollout(*t, HeadFusion::Mean, 0.0f);
    const std::vector<float> last = attentionRollout(*t, HeadFusion::Mean, 0.0f, t->layers() - 1);
    QVERIFY(all == last);
    // Max fusion: every cell the largest head's weight.
    const std::vector<float> mx = fusedHeads(*t, 1, HeadFusion::Max);
    for (int h = 0; h < t->heads(); ++h) QVERIFY(mx[5] >= t->head(1, h).probs()[5]);
}

void TestTextAnalyses::ablationLeavesOtherRunsAlone() {
    // An ablated run must not change the next, unablated one (no state left in the model).
    auto m = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    QVERIFY(m);
    const std::vector<int> ids = idsOf(reference().value(QStringLiteral("gpt2")).toObject());
    // Runs may differ in the last bit (summation order follows memory alignment): compare to 1e-6.
    auto gap = [&](const AttentionTrace& x, const AttentionTrace& y, int l, int h) {
        const HeadMatrices p = x.head(l, h), q = y.head(l, h);
        double worst = 0;
        for (size_t i = 0; i < ids.size() * ids.size(); ++i) worst = std::max(worst, double(std::abs(p.probs()[i] - q.probs()[i])));
        return worst;
    };
    auto before = run(*m, ids, {});
    run(*m, ids, {{0, 0}, {1, 3}});
    auto after = run(*m, ids, {});
    for (int h = 0; h < before->heads(); ++h) QVERIFY(gap(*before, *after, 1, h) < 1e-6);
    // Layer 0 comes before any ablation takes effect: its weights are the same with a head off.
    auto off = run(*m, ids, {{0, 0}});
    QVERIFY(gap(*before, *off, 0, 0) < 1e-6);
    QVERIFY(gap(*before, *off, 1, 0) > 1e-3);
}

void TestTextAnalyses::valueWeightedTraceRowsSumToOne() {
    auto m = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(m);
    const std::vector<int> ids = idsOf(reference().value(QStringLiteral("bert")).toObject());
    auto trace = run(*m, ids, {});
    auto vw = valueWeightedTrace(*trace);
    QVERIFY2(vw, qPrintable(vw ? QString() : vw.error().message));
    const int n = int(ids.size());
    for (int l = 0; l < trace->layers(); ++l)
        for (int h = 0; h < trace->heads(); ++h) {
            const std::vector<float> norms = valueWeightedNorms(*trace, l, h);
            const HeadMatrices shown = (*vw)->head(l, h);
            for (int i = 0; i < n; ++i) {
                double sum = 0, total = 0;
                for (int j = 0; j < n; ++j) {
                    sum += shown.prob(i, j);
                    total += norms[size_t(i * n + j)];
                }
                QVERIFY(std::abs(sum - 1) < 1e-5);
                for (int j = 0; j < n; ++j) QVERIFY(std::abs(shown.prob(i, j) - norms[size_t(i * n + j)] / total) < 1e-6);
            }
            // q, k and the raw scores are the originals.
            QVERIFY(std::equal(trace->head(l, h).raw(), trace->head(l, h).raw() + n * n, shown.raw()));
        }
    QCOMPARE((*vw)->hiddenState(1)[3], trace->hiddenState(1)[3]);
    // Without value norms there is nothing to show.
    TraceRecorder plain;
    QVERIFY(m->model->forward(ids, {}, &plain));
    auto none = valueWeightedTrace(*plain.take());
    QVERIFY(!none);
    QVERIFY(none.error().message.contains(QStringLiteral("value norms")));
}

void TestTextAnalyses::lensRefusesWithoutHead() {
    auto vit = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("vit")));
    QVERIFY(vit);
    TraceRecorder r;
    ImageTensor pixels;
    pixels.height = pixels.width = vit->config().imageSize;
    pixels.data.assign(size_t(3) * size_t(pixels.height) * size_t(pixels.width), 0.1f);
    QVERIFY(vit->model->forwardImage(pixels, &r));
    auto lens = logitLens(*vit->model, *r.take(), 3);
    QVERIFY(!lens);
    QVERIFY(lens.error().message.contains(QStringLiteral("image model")));
    auto bert = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    TraceRecorder r2;
    QVERIFY(bert->model->forward({2, 5, 3}, {}, &r2));
    QVERIFY(!logitLens(*bert->model, *r2.take(), 0));
}

void TestTextAnalyses::alignment_data() {
    QTest::addColumn<QStringList>("a");
    QTest::addColumn<QStringList>("b");
    QTest::addColumn<QList<int>>("ia");
    QTest::addColumn<QList<int>>("ib");
    // Same count: by position, even where the tokens differ (tired / wide).
    QTest::newRow("same length") << QStringList{"it", "was", "tired"} << QStringList{"it", "was", "wide"} << QList<int>{0, 1, 2}
                                 << QList<int>{0, 1, 2};
    // One inserted token: a gap on a's side.
    QTest::newRow("insert") << QStringList{"the", "road"} << QStringList{"the", "wide", "road"} << QList<int>{0, -1, 1}
                            << QList<int>{0, 1, 2};
    // A replaced word of another length: the LCS keeps the shared tokens, the rest are gaps.
    QTest::newRow("replace") << QStringList{"a", "x", "b"} << QStringList{"a", "y", "z", "b"} << QList<int>{0, 1, -1, -1, 2}
                             << QList<int>{0, -1, 1, 2, 3};
    QTest::newRow("disjoint") << QStringList{"p"} << QStringList{"q", "r"} << QList<int>{0, -1, -1} << QList<int>{-1, 0, 1};
    QTest::newRow("empty b") << QStringList{"p", "q"} << QStringList{} << QList<int>{0, 1} << QList<int>{-1, -1};
}

void TestTextAnalyses::alignment() {
    QFETCH(QStringList, a);
    QFETCH(QStringList, b);
    QFETCH(QList<int>, ia);
    QFETCH(QList<int>, ib);
    const TokenAlignment al = alignTokens(a, b);
    QCOMPARE(QList<int>(al.a.begin(), al.a.end()), ia);
    QCOMPARE(QList<int>(al.b.begin(), al.b.end()), ib);
}

void TestTextAnalyses::comparisonHandComputed() {
    // a: 2 tokens, b: 3 tokens with "new" inserted in the middle.
    const float a[] = {1, 0, 0.25f, 0.75f};
    const float b[] = {1, 0, 0, 0.5f, 0.5f, 0, 0.1f, 0.2f, 0.7f};
    const Comparison c = compareMatrices({"x", "y"}, a, {"x", "new", "y"}, b);
    QCOMPARE(c.size(), 3);
    // Aligned rows/columns: x (0,0), gap (-1,1), y (1,2). diff[y][x] = b[2][0] - a[1][0] = 0.1 - 0.25.
    QCOMPARE(c.diff[0], 0.0f);
    QVERIFY(std::isnan(c.diff[1]) && std::isnan(c.diff[3]) && std::isnan(c.diff[4]));
    QVERIFY(std::abs(c.diff[6] - (0.1f - 0.25f)) < 1e-7f);
    QVERIFY(std::abs(c.diff[8] - (0.7f - 0.75f)) < 1e-7f);
    QVERIFY(std::abs(c.maxAbsDiff() - 0.15f) < 1e-7f);
    QCOMPARE(c.label(1), QStringLiteral("— | new"));
    const Comparison same = compareMatrices({"it", "tired"}, a, {"it", "wide"}, a);
    QCOMPARE(same.label(1), QStringLiteral("tired → wide"));
    QCOMPARE(same.maxAbsDiff(), 0.0f);
}

void TestTextAnalyses::headRefs_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");  // written back, or "error: <part of the message>"
    QTest::newRow("sorted, unique") << "3:1, 0:2,3:1" << "0:2,3:1";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("not a pair") << "3" << "error: LAYER:HEAD";
    QTest::newRow("letters") << "a:b" << "error: LAYER:HEAD";
    QTest::newRow("layer range") << "12:0" << "error: layer 12 is out of range";
    QTest::newRow("head range") << "0:-1" << "error: head -1 is out of range";
    QTest::newRow("three parts") << "1:2:3" << "error: LAYER:HEAD";
}

void TestTextAnalyses::headRefs() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto refs = parseHeadRefs(text, 12, 12);
    if (expected.startsWith(QLatin1String("error: "))) {
        QVERIFY(!refs);
        QVERIFY2(refs.error().message.contains(expected.mid(7)), qPrintable(refs.error().message));
    } else {
        QVERIFY(refs);
        QCOMPARE(headRefsText(*refs), expected);
    }
}

void TestTextAnalyses::softmaxTop() {
    // logits ln 1, ln 2, ln 3, ln 2: probabilities 1/8, 2/8, 3/8, 2/8; ties keep the lower id first.
    const float logits[] = {0, std::log(2.0f), std::log(3.0f), std::log(2.0f)};
    const auto top = topOfSoftmax(logits, 4, 3);
    QCOMPARE(int(top.size()), 3);
    QCOMPARE(top[0].id, 2);
    QCOMPARE(top[1].id, 1);
    QCOMPARE(top[2].id, 3);
    QVERIFY(std::abs(top[0].probability - 0.375f) < 1e-6f);
    QVERIFY(std::abs(top[2].probability - 0.25f) < 1e-6f);
    QCOMPARE(int(topOfSoftmax(logits, 4, 10).size()), 4);
}

QTEST_GUILESS_MAIN(TestTextAnalyses)
#include "tst_text_analyses.moc"
