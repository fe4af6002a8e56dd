// The forward pass's tiny kernels against direct formulas.
#include "kernels/kernels.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace attnscope::core;

class TestKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gelu_data();
    void gelu();
    void layerNormHasZeroMeanUnitVariance();
    void causalSoftmaxMasksTheFuture();
    void linearMatchesLoops_data();
    void linearMatchesLoops();
};

void TestKernels::gelu_data() {
    QTest::addColumn<float>("x");
    for (float x : {-6.0f, -2.5f, -1.0f, -0.1f, 0.0f, 0.3f, 1.0f, 2.0f, 5.5f})
        QTest::newRow(qPrintable(QString::number(x))) << x;
}

void TestKernels::gelu() {
    QFETCH(float, x);
    float erfForm = x, tanhForm = x;
    kernels::activate(kernels::Activation::GeluErf, &erfForm, 1);
    kernels::activate(kernels::Activation::GeluTanh, &tanhForm, 1);
    const double xd = x;
    const double exactErf = 0.5 * xd * (1 + std::erf(xd / std::sqrt(2.0)));
    const double exactTanh = 0.5 * xd * (1 + std::tanh(std::sqrt(2 / M_PI) * (xd + 0.044715 * xd * xd * xd)));
    QVERIFY2(std::abs(erfForm - exactErf) <= 2e-7 + 1e-6 * std::abs(exactErf), qPrintable(QString::number(erfForm - exactErf)));
    QVERIFY2(std::abs(tanhForm - exactTanh) <= 2e-7 + 1e-6 * std::abs(exactTanh), qPrintable(QString::number(tanhForm - exactTanh)));
}

void TestKernels::layerNormHasZeroMeanUnitVariance() {
    std::vector<float> x{1, 2, 3, 4, 10, -3, 0.5f, 8};  // (2, 4)
    const std::vector<float> g(4, 1.0f), b(4, 0.0f);
    kernels::layerNorm(x.data(), 2, 4, g.data(), b.data(), 1e-12f, x.data());
    for (int r = 0; r < 2; ++r) {
        double mean = 0, var = 0;
        for (int i = 0; i < 4; ++i) mean += x[size_t(r * 4 + i)] / 4.0;
        for (int i = 0; i < 4; ++i) var += std::pow(x[size_t(r * 4 + i)] - mean, 2) / 4.0;
        QVERIFY(std::abs(mean) < 1e-6);
        QVERIFY(std::abs(var - 1) < 1e-5);
    }
}

void TestKernels::causalSoftmaxMasksTheFuture() {
    const int n = 3;
    std::vector<float> raw{1, 2, 3, 4, 5, 6, 7, 8, 9}, scores(9), probs(9);
    kernels::scaledMaskedSoftmax(raw.data(), n, 2.0f, true, scores.data(), probs.data());
    QCOMPARE(probs[0], 1.0f);
    QCOMPARE(probs[1], 0.0f);
    QVERIFY(std::isinf(scores[1]) && scores[1] < 0);
    QCOMPARE(scores[3], 2.0f);  // 4 / sqrt(d) with sqrt(d) = 2
    const double e = std::exp(0.5);  // row 1: softmax(2, 2.5)
    QVERIFY(std::abs(probs[4] - e / (1 + e)) < 1e-6);
    for (int r = 0; r < n; ++r) QVERIFY(std::abs(probs[size_t(3 * r)] + probs[size_t(3 * r + 1)] + probs[size_t(3 * r + 2)] - 1) < 1e-6);
}

void TestKernels::linearMatchesLoops_data() {
    QTest::addColumn<bool>("inByOut");
    QTest::newRow("nn.Linear (out, in)") << false;
    QTest::newRow("Conv1D (in, out)") << true;
}

void TestKernels::linearMatchesLoops() {
    QFETCH(bool, inByOut);
    const int n = 3, in = 5, out = 4;
    std::vector<float> x(static_cast<size_t>(n * in)), w(static_cast<size_t>(in * out));
    std::vector<float> b(static_cast<size_t>(out)), y(static_cast<size_t>(n * out));
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i));
    for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(float(i) * 0.7f);
    for (size_t i = 0; i < b.size(); ++i) b[i] = float(i) * 0.1f;
    kernels::Linear l{w.data(), b.data(), in, out, inByOut ? out : in, inByOut};
    kernels::linear(l, x.data(), n, y.data());
    for (int r = 0; r < n; ++r)
        for (int o = 0; o < out; ++o) {
            double s = b[size_t(o)];
            for (int i = 0; i < in; ++i) s += double(x[size_t(r * in + i)]) * w[size_t(inByOut ? i * out + o : o * in + i)];
            QVERIFY(std::abs(y[size_t(r * out + o)] - s) < 1e-5);
        }
}

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_kernels.moc"
