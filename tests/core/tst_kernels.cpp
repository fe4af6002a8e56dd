// The forward pass's tiny kernels against direct formulas.
#include "kernels/kernels.h"
#include "kernels/parallel_for.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <thread>
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
    void parallelForRunsEveryPartOnce();
    void parallelForRethrows();
    void parallelForFromTwoThreadsAtOnce();
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
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("extraStride");  // ldw beyond the minimum (a slice of a wider tensor)
    QTest::addColumn<bool>("bias");
    QTest::addColumn<int>("threads");
    struct Shape {
        int in, out;
    };
    // Rows: a single token, the few-rows kernel's blocks (4) and their ragged ends, its limit (64),
    // just past it, and sgemm's padded and unpadded row counts.
    for (bool inByOut : {false, true})
        for (int rows : {1, 3, 4, 5, 13, 16, 17, 29, 64, 65, 197})
            for (Shape s : {Shape{5, 4}, Shape{37, 100}, Shape{768, 64}, Shape{64, 771}, Shape{40, 256}})
                for (int threads : {1, 2}) {
                    const bool bias = (rows + s.out) % 2 == 0;
                    const int extra = rows % 3 == 0 ? 7 : 0;
                    QTest::addRow("%s %d x %d -> %d%s%s, %d threads", inByOut ? "Conv1D" : "nn.Linear", rows, s.in,
                                  s.out, bias ? " +b" : "", extra ? " strided" : "", threads)
                        << inByOut << rows << s.in << s.out << extra << bias << threads;
                }
}

void TestKernels::linearMatchesLoops() {
    QFETCH(bool, inByOut);
    QFETCH(int, rows);
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(int, extraStride);
    QFETCH(bool, bias);
    QFETCH(int, threads);
    const int ldw = (inByOut ? out : in) + extraStride;
    std::vector<float> x(size_t(rows) * size_t(in)), w(size_t(inByOut ? in : out) * size_t(ldw));
    std::vector<float> b(static_cast<size_t>(out)), y(size_t(rows) * size_t(out), std::nanf(""));
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i) * 0.37f);
    for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(float(i) * 0.7f) * 0.1f;
    for (size_t i = 0; i < b.size(); ++i) b[i] = float(i) * 0.01f - 0.2f;
    kernels::setThreads(threads);
    kernels::Linear l{w.data(), bias ? b.data() : nullptr, in, out, ldw, inByOut};
    kernels::linear(l, x.data(), rows, y.data());
    kernels::setThreads(0);
    double worst = 0;
    for (int r = 0; r < rows; ++r)
        for (int o = 0; o < out; ++o) {
            double s = bias ? b[size_t(o)] : 0.0;
            for (int i = 0; i < in; ++i)
                s += double(x[size_t(r) * size_t(in) + size_t(i)]) *
                     w[inByOut ? size_t(i) * size_t(ldw) + size_t(o) : size_t(o) * size_t(ldw) + size_t(i)];
            const double err = std::abs(y[size_t(r) * size_t(out) + size_t(o)] - s);
            worst = std::isnan(err) ? INFINITY : std::max(worst, err);
        }
    QVERIFY2(worst < 2e-5, qPrintable(QStringLiteral("max abs error %1").arg(worst)));
}

void TestKernels::parallelForRunsEveryPartOnce() {
    for (int parts : {1, 2, 3, 5}) {
        std::vector<std::atomic<int>> runs(static_cast<size_t>(parts));
        for (int round = 0; round < 200; ++round) kernels::parallelFor(parts, [&](int p) { ++runs[size_t(p)]; });
        for (int p = 0; p < parts; ++p) QCOMPARE(runs[size_t(p)].load(), 200);
    }
}

void TestKernels::parallelForRethrows() {
    bool caught = false;
    try {
        kernels::parallelFor(2, [](int p) {
            if (p == 1) throw std::runtime_error("part 1 failed");
        });
    } catch (const std::runtime_error& e) {
        caught = QByteArray(e.what()) == "part 1 failed";
    }
    QVERIFY(caught);
    std::atomic<int> after{0};
    kernels::parallelFor(2, [&](int) { ++after; });  // the pool still works
    QCOMPARE(after.load(), 2);
}

void TestKernels::parallelForFromTwoThreadsAtOnce() {
    // Two analyses at once: one gets the helpers, the other runs its parts itself; both finish.
    std::atomic<long> total{0};
    auto work = [&] {
        for (int round = 0; round < 300; ++round) kernels::parallelFor(2, [&](int p) { total += p + 1; });
    };
    std::thread other(work);
    work();
    other.join();
    QCOMPARE(total.load(), 2L * 300 * 3);
}

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_kernels.moc"
