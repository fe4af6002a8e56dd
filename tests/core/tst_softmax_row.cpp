// The fused AVX-512 softmax of one attention row (kernels/softmax_row.h) against a double-precision
// softmax and against Eigen's passes (kernels::softmax): row lengths around the 16-lane vectors,
// scaled by division and by multiplication, with and without the scaled scores, and rows whose
// smaller values underflow to zero.
#include "kernels/kernels.h"
#include "kernels/softmax_row.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace attnscope::core::kernels;

class TestSoftmaxRow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void againstReference_data();
    void againstReference();
};

void TestSoftmaxRow::againstReference_data() {
    QTest::addColumn<int>("count");
    QTest::addColumn<float>("spread");  // raw values uniform in [-spread, spread)
    QTest::addColumn<float>("factor");
    QTest::addColumn<bool>("divide");
    QTest::addColumn<bool>("withScores");
    for (int count : {1, 15, 16, 17, 31, 33, 197, 1000})
        QTest::newRow(qPrintable(QStringLiteral("%1 values, / 8, scores").arg(count))) << count << 20.0f << 8.0f << true << true;
    QTest::newRow("197 values, * 0.125") << 197 << 20.0f << 0.125f << false << false;
    QTest::newRow("64 values, / 11.3137 (head dim 128)") << 64 << 60.0f << 11.3137085f << true << false;
    QTest::newRow("underflow: values 2000 apart") << 50 << 1000.0f << 1.0f << true << true;
    QTest::newRow("equal values") << 40 << 0.0f << 8.0f << true << false;
}

void TestSoftmaxRow::againstReference() {
    QFETCH(int, count);
    QFETCH(float, spread);
    QFETCH(float, factor);
    QFETCH(bool, divide);
    QFETCH(bool, withScores);
    if (!fusedSoftmaxRow()) QSKIP("this build has no AVX-512 softmax row (it uses Eigen's passes)");
    std::mt19937 rng{uint32_t(count)};
    std::uniform_real_distribution<float> u(-spread, spread);
    // One value before and after the row: never written.
    std::vector<float> raw(static_cast<size_t>(count)), scores(size_t(count) + 2, -7.0f), probs(size_t(count) + 2, -7.0f);
    for (float& v : raw) v = spread > 0 ? u(rng) : 3.0f;
    softmaxRow(raw.data(), count, factor, divide, withScores ? scores.data() + 1 : nullptr, probs.data() + 1);
    QCOMPARE(probs.front(), -7.0f);
    QCOMPARE(probs.back(), -7.0f);
    QCOMPARE(scores.back(), -7.0f);
    // Double precision, and Eigen's passes on the same scaled values.
    std::vector<float> scaled(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) scaled[size_t(i)] = divide ? raw[size_t(i)] / factor : raw[size_t(i)] * factor;
    double top = scaled[0], sum = 0;
    for (float s : scaled) top = std::max(top, double(s));
    for (float s : scaled) sum += std::exp(double(s) - top);
    std::vector<float> eigen = scaled;
    softmax(eigen.data(), count);
    double total = 0;
    for (int i = 0; i < count; ++i) {
        const float p = probs[size_t(i) + 1];
        const double want = std::exp(double(scaled[size_t(i)]) - top) / sum;
        QVERIFY2(std::abs(p - want) <= 1e-6 * want + 1e-30, qPrintable(QStringLiteral("value %1: %2, want %3").arg(i).arg(p).arg(want)));
        QVERIFY2(std::abs(p - eigen[size_t(i)]) <= 2.5e-7f * eigen[size_t(i)], qPrintable(QStringLiteral("value %1: %2, Eigen %3").arg(i).arg(p).arg(eigen[size_t(i)])));
        if (withScores) QCOMPARE(scores[size_t(i) + 1], scaled[size_t(i)]);
        total += p;
    }
    QVERIFY(std::abs(total - 1.0) < 1e-5);
    if (!withScores) QCOMPARE(scores[1], -7.0f);
}

QTEST_GUILESS_MAIN(TestSoftmaxRow)
#include "tst_softmax_row.moc"
