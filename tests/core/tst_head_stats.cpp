// Head statistics on hand-computed matrices, on a real trace, sorting, and corpus sums that merge.
#include "analysis/head_stats.h"
#include "model/text_analysis.h"
#include "test_paths.h"

#include <QTest>

#include <cmath>

using namespace attnscope::core;

class TestHeadStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void handComputed_data();
    void handComputed();
    void realTraceMatchesItsMatrices();
    void sortsByAnyKey();
    void corpusSumsMerge();
    void partialFileRoundTripAndRejects();
};

void TestHeadStats::handComputed_data() {
    QTest::addColumn<QList<float>>("matrix");  // (n, n) row-major
    QTest::addColumn<QList<bool>>("special");
    QTest::addColumn<QList<double>>("expected");  // entropy, mean_distance, to_special, to_self, to_previous, to_next, max_weight
    // Each row on itself: no uncertainty, no distance.
    QTest::newRow("identity") << QList<float>{1, 0, 0, 0, 1, 0, 0, 0, 1} << QList<bool>{false, false, false}
                              << QList<double>{0, 0, 0, 1, 0, 0, 1};
    // Each row on the previous token (row 0 on itself): distance 2/3, previous 1, self 1/3.
    QTest::newRow("previous") << QList<float>{1, 0, 0, 1, 0, 0, 0, 1, 0} << QList<bool>{true, false, false}
                              << QList<double>{0, 2.0 / 3, 2.0 / 3, 1.0 / 3, 1, 0, 1};
    // Uniform over 2 tokens: ln 2 per row; distance 1/2; [CLS] (token 0) special gets 1/2.
    QTest::newRow("uniform 2") << QList<float>{0.5f, 0.5f, 0.5f, 0.5f} << QList<bool>{true, false}
                               << QList<double>{std::log(2.0), 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    // Rows: [0.5 0.5 0], [0.25 0.5 0.25], [0 0 1]:
    //   entropy  (ln2 + (0.25 ln4 + 0.5 ln2 + 0.25 ln4) + 0) / 3 = (ln2 + 1.5 ln2) / 3
    //   distance (0.5 + (0.25 + 0.25) + 0) / 3 = 1/3; self (0.5 + 0.5 + 1) / 3
    //   previous (0.25 + 0) / 2; next (0.5 + 0.25) / 2; special {2}: (0 + 0.25 + 1) / 3
    QTest::newRow("mixed") << QList<float>{0.5f, 0.5f, 0, 0.25f, 0.5f, 0.25f, 0, 0, 1} << QList<bool>{false, false, true}
                           << QList<double>{2.5 * std::log(2.0) / 3, 1.0 / 3, 1.25 / 3, 2.0 / 3, 0.125, 0.375, 1};
    QTest::newRow("one token") << QList<float>{1} << QList<bool>{true} << QList<double>{0, 0, 1, 1, 0, 0, 1};
}

void TestHeadStats::handComputed() {
    QFETCH(QList<float>, matrix);
    QFETCH(QList<bool>, special);
    QFETCH(QList<double>, expected);
    const int n = int(std::lround(std::sqrt(double(matrix.size()))));
    const std::vector<float> a(matrix.begin(), matrix.end());
    const HeadStats s = headStatsOf(a.data(), n, std::vector<bool>(special.begin(), special.end()));
    const double got[] = {s.entropy, s.meanDistance, s.toSpecial, s.toSelf, s.toPrevious, s.toNext, s.maxWeight};
    for (int k = 0; k < 7; ++k)
        QVERIFY2(std::abs(got[k] - expected[k]) < 1e-6, qPrintable(QStringLiteral("%1: %2, expected %3").arg(headStatKeys()[k]).arg(got[k]).arg(expected[k])));
}

void TestHeadStats::realTraceMatchesItsMatrices() {
    auto model = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(model);
    auto a = analyzeText(*model, QStringLiteral("the animal didn't cross the road because it was tired"), {});
    QVERIFY(a);
    const AttentionTrace& t = *a->trace;
    const std::vector<HeadStats> stats = headStatistics(t, a->encoding.special, 8, 2);
    QCOMPARE(int(stats.size()), t.layers() * t.heads());
    for (const HeadStats& s : stats) {
        const HeadMatrices m = t.head(s.layer, s.head);
        const HeadStats direct = headStatsOf(m.probs(), t.tokens(), a->encoding.special);
        QCOMPARE(s.entropy, direct.entropy);
        QCOMPARE(s.toSpecial, direct.toSpecial);
        QVERIFY(s.fromTo.has_value());
        QCOMPARE(*s.fromTo, double(m.prob(8, 2)));
        QVERIFY(s.entropy >= 0 && s.entropy <= std::log(double(t.tokens())) + 1e-9);  // at most uniform
        QVERIFY(s.toSpecial > 0 && s.toSpecial <= 1 + 1e-6);  // [CLS] and [SEP] take some weight
    }
}

void TestHeadStats::sortsByAnyKey() {
    std::vector<HeadStats> stats(3);
    for (int i = 0; i < 3; ++i) {
        stats[size_t(i)].head = i;
        stats[size_t(i)].entropy = double(i == 1 ? 5 : i);
    }
    QVERIFY(sortHeadStats(stats, QStringLiteral("entropy")));
    QCOMPARE(stats[0].head, 1);
    QCOMPARE(stats[2].head, 0);
    QVERIFY(sortHeadStats(stats, QStringLiteral("-entropy")));
    QCOMPARE(stats[0].head, 0);
    const Status bad = sortHeadStats(stats, QStringLiteral("colour"));
    QVERIFY(!bad);
    QVERIFY(bad.message().contains(QStringLiteral("unknown statistic 'colour'")));
}

// Two shards merged give the mean over all their texts, as one run would.
void TestHeadStats::corpusSumsMerge() {
    auto stat = [](double entropy) {
        HeadStats s;
        s.entropy = entropy;
        s.maxWeight = 1;
        return std::vector<HeadStats>{s};
    };
    HeadStatsSums all{QStringLiteral("bert"), 1, 1}, first{QStringLiteral("bert"), 1, 1}, second{QStringLiteral("bert"), 1, 1};
    for (double e : {1.0, 2.0, 6.0}) all.add(stat(e));
    first.add(stat(1.0));
    second.add(stat(2.0));
    second.add(stat(6.0));
    QVERIFY(first.merge(second));
    QCOMPARE(first.texts, qint64(3));
    QCOMPARE(first.mean()[0].entropy, 3.0);
    QCOMPARE(first.mean()[0].entropy, all.mean()[0].entropy);
    HeadStatsSums other{QStringLiteral("gpt2"), 1, 1};
    QVERIFY(!first.merge(other));
}

void TestHeadStats::partialFileRoundTripAndRejects() {
    HeadStatsSums sums{QStringLiteral("bert"), 2, 2};
    std::vector<HeadStats> one(4);
    for (int i = 0; i < 4; ++i) one[size_t(i)].layer = i / 2, one[size_t(i)].head = i % 2, one[size_t(i)].toSelf = 0.1 * i;
    sums.add(one);
    auto back = HeadStatsSums::fromJson(sums.toJson(), QStringLiteral("p.json"));
    QVERIFY2(back, qPrintable(back.message()));
    QCOMPARE(back->texts, qint64(1));
    QCOMPARE(back->mean()[3].toSelf, 0.1 * 3);
    for (const QByteArray& bad : {QByteArray("{"), QByteArray("{\"format\": \"x\"}"),
                                  QByteArray("{\"format\": \"attnscope-head-stats-partial\", \"num_layers\": 1, \"num_heads\": 1, \"texts\": 1, "
                                             "\"keys\": [\"entropy\"], \"sums\": [[1]]}"),
                                  QByteArray("{\"format\": \"attnscope-head-stats-partial\", \"num_layers\": 99999, \"num_heads\": 1}"),
                                  // found by fuzz_analysis: a count past what an integer holds
                                  QByteArray("{\"format\": \"attnscope-head-stats-partial\", \"num_layers\": 1, \"num_heads\": 1, \"texts\": 2e65, "
                                             "\"keys\": [\"entropy\", \"mean_distance\", \"to_special\", \"to_self\", \"to_previous\", \"to_next\", "
                                             "\"max_weight\"], \"sums\": [[1, 1, 1, 1, 1, 1, 1]]}")}) {
        auto r = HeadStatsSums::fromJson(bad, QStringLiteral("bad.json"));
        QVERIFY(!r);
        QVERIFY(r.message().startsWith(QStringLiteral("bad.json: ")));
    }
}

QTEST_MAIN(TestHeadStats)
#include "tst_head_stats.moc"
