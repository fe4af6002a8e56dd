// The query-key space: the normalisation keeps every row's softmax, PCA on hand-computed points,
// t-SNE keeps clusters apart, is deterministic and refuses too many points.
#include "analysis/qk_projection.h"
#include "model/text_analysis.h"
#include "test_paths.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace attnscope::core;

class TestQkProjection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pointsKeepTheAttention();
    void pcaHandComputed();
    void tsneSeparatesClusters();
    void tsneLimits();
};

void TestQkProjection::pointsKeepTheAttention() {
    auto m = loadModelFolder(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    QVERIFY(m);
    TraceRecorder r;
    QVERIFY(m->model->forward({265, 272, 274, 287, 277, 273}, {}, &r));
    auto t = r.take();
    const int n = t->tokens(), d = t->headDim();
    const std::vector<float> pts = queryKeyPoints(*t, 1, 2);
    QCOMPARE(int(pts.size()), 2 * n * d);
    auto dot = [d](const float* a, const float* b) {
        double s = 0;
        for (int c = 0; c < d; ++c) s += double(a[c]) * double(b[c]);
        return s;
    };
    for (int i = 0; i < n; ++i)
        for (int j = 1; j < n; ++j) {
            // q'_i . (k'_j - k'_0) = q_i . (k_j - k_0): the same differences within each row of scores.
            const double before = dot(t->qRow(1, 2, i), t->kRow(1, 2, j)) - dot(t->qRow(1, 2, i), t->kRow(1, 2, 0));
            const double after = dot(&pts[size_t(i * d)], &pts[size_t((n + j) * d)]) - dot(&pts[size_t(i * d)], &pts[size_t(n * d)]);
            QVERIFY2(std::abs(before - after) < 1e-4 * std::max(1.0, std::abs(before)), qPrintable(QStringLiteral("%1 vs %2").arg(before).arg(after)));
        }
    for (int c = 0; c < d; ++c) {  // the two clouds share their centre
        double qm = 0, km = 0;
        for (int i = 0; i < n; ++i) {
            qm += pts[size_t(i * d + c)];
            km += pts[size_t((n + i) * d + c)];
        }
        QVERIFY(std::abs(qm - km) / n < 1e-5);
    }
}

void TestQkProjection::pcaHandComputed() {
    // x = -1, 0, 3 (centred: -5/3, -2/3, 7/3) with y constant: the first axis is x, the second is 0.
    const float pts[] = {-1, 5, 0, 5, 3, 5};
    const std::vector<float> p = pcaProjection(pts, 3, 2);
    QVERIFY(std::abs(p[0] + 5.0f / 3) < 1e-5f);
    QVERIFY(std::abs(p[2] + 2.0f / 3) < 1e-5f);
    QVERIFY(std::abs(p[4] - 7.0f / 3) < 1e-5f);  // the largest |coordinate| is positive
    for (int i = 0; i < 3; ++i) QVERIFY(std::abs(p[size_t(2 * i + 1)]) < 1e-5f);
    // Mirrored input, same picture: the sign rule fixes the axis.
    const float mirrored[] = {1, 5, 0, 5, -3, 5};
    const std::vector<float> q = pcaProjection(mirrored, 3, 2);
    QVERIFY(std::abs(q[4] - 7.0f / 3) < 1e-5f);
}

void TestQkProjection::tsneSeparatesClusters() {
    // Two clusters of 20 points in 8-D, 10 apart, spread 0.5.
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0, 0.5f);
    std::vector<float> pts;
    for (int i = 0; i < 40; ++i)
        for (int c = 0; c < 8; ++c) pts.push_back((i < 20 ? 0.0f : 10.0f) + noise(rng));
    auto y = tsneProjection(pts.data(), 40, 8, {10, 500, 3});
    QVERIFY(y);
    for (int i = 0; i < 40; ++i) {
        int nearest = -1;
        double best = 1e300;
        for (int j = 0; j < 40; ++j) {
            if (j == i) continue;
            const double dx = (*y)[size_t(2 * i)] - (*y)[size_t(2 * j)], dy = (*y)[size_t(2 * i + 1)] - (*y)[size_t(2 * j + 1)];
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                nearest = j;
            }
        }
        QCOMPARE(nearest < 20, i < 20);
    }
    auto again = tsneProjection(pts.data(), 40, 8, {10, 500, 3});
    QVERIFY(*again == *y);
}

void TestQkProjection::tsneLimits() {
    std::vector<float> many(size_t(kMaxTsnePoints + 1) * 2, 1.0f);
    auto refused = tsneProjection(many.data(), kMaxTsnePoints + 1, 2);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(QStringLiteral("PCA")));
    const float three[] = {0, 0, 1, 0, 0, 2};
    auto small = tsneProjection(three, 3, 2);
    QVERIFY(small && small->size() == 6);
    std::atomic<bool> cancel{true};
    std::vector<float> pts(40, 0.5f);
    pts[3] = 2;
    QVERIFY(!tsneProjection(pts.data(), 20, 2, {}, &cancel));
}

QTEST_GUILESS_MAIN(TestQkProjection)
#include "tst_qk_projection.moc"
