// The forward pass's tiny kernels against direct formulas.
#include "io/half_float.h"
#include "kernels/half_weights.h"
#include "kernels/kernels.h"
#include "kernels/parallel_for.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace attnscope::core;

namespace {

// Largest |y - x W - b| against a float64 loop (W (out, ldw) rows, or (in, ldw) for Conv1D); NaN counts as infinite.
double worstError(const std::vector<float>& x, const std::vector<float>& w, const float* b, const std::vector<float>& y, int rows, int in,
                  int out, int ldw, bool inByOut) {
    double worst = 0;
    for (int r = 0; r < rows; ++r)
        for (int o = 0; o < out; ++o) {
            double s = b ? b[o] : 0.0;
            for (int i = 0; i < in; ++i)
                s += double(x[size_t(r) * size_t(in) + size_t(i)]) *
                     w[inByOut ? size_t(i) * size_t(ldw) + size_t(o) : size_t(o) * size_t(ldw) + size_t(i)];
            const double err = std::abs(y[size_t(r) * size_t(out) + size_t(o)] - s);
            worst = std::isnan(err) ? INFINITY : std::max(worst, err);
        }
    return worst;
}

}  // namespace

class TestKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gelu_data();
    void gelu();
    void layerNormHasZeroMeanUnitVariance();
    void gatedActivateIsActivateTimesUp_data();
    void gatedActivateIsActivateTimesUp();
    void causalSoftmaxMasksTheFuture();
    void linearMatchesLoops_data();
    void linearMatchesLoops();
    void widenedBlocksMatchLoops_data();
    void widenedBlocksMatchLoops();
    void roundsToSixteenBits_data();
    void roundsToSixteenBits();
    void parallelForRunsEveryPartOnce();
    void parallelForRethrows();
    void parallelForFinishesEveryPartBeforeRethrowing();
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

// The gated MLP's pass (shared among the cores from 32 Ki values) gives, bit for bit, what one
// activate() over the whole gate and a multiply give: at a few values, at one core's share, and
// at lengths that split among the cores unevenly (not a multiple of the chunks).
void TestKernels::gatedActivateIsActivateTimesUp_data() {
    QTest::addColumn<int>("act");
    QTest::addColumn<int>("count");
    QTest::newRow("silu 7") << int(kernels::Activation::Silu) << 7;
    QTest::newRow("silu 128 x 3072") << int(kernels::Activation::Silu) << 128 * 3072;
    QTest::newRow("silu 70001") << int(kernels::Activation::Silu) << 70001;
    QTest::newRow("gelu tanh 16 x 6912") << int(kernels::Activation::GeluTanh) << 16 * 6912;
    QTest::newRow("gelu erf 33 x 3072") << int(kernels::Activation::GeluErf) << 33 * 3072;
}

void TestKernels::gatedActivateIsActivateTimesUp() {
    QFETCH(int, act);
    QFETCH(int, count);
    const auto a = kernels::Activation(act);
    std::vector<float> gate(static_cast<size_t>(count)), up(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        gate[size_t(i)] = float(std::sin(i * 0.37)) * 6.0f;
        up[size_t(i)] = float(std::cos(i * 0.11)) * 3.0f;
    }
    std::vector<float> expected = gate;
    kernels::activate(a, expected.data(), count);
    for (int i = 0; i < count; ++i) expected[size_t(i)] *= up[size_t(i)];
    const int before = kernels::threads();
    for (int threads : {1, 2, 3}) {
        kernels::setThreads(threads);
        std::vector<float> got = gate;
        kernels::gatedActivate(a, got.data(), up.data(), count);
        for (int i = 0; i < count; ++i)
            if (got[size_t(i)] != expected[size_t(i)])
                QFAIL(qPrintable(QStringLiteral("%1 threads, value %2: %3, expected %4").arg(threads).arg(i).arg(got[size_t(i)]).arg(expected[size_t(i)])));
    }
    kernels::setThreads(before);
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
    QTest::addColumn<int>("storage");  // kernels::WeightType: 16-bit weights are widened in the kernels
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
                        << inByOut << rows << s.in << s.out << extra << bias << threads << int(kernels::WeightType::F32);
                }
    // 16-bit weights: the few-rows kernel's loads (up to 64 rows), and the widened blocks beyond it
    // (4096 inputs make blocks of 128 columns: 300 outputs are three, the last one ragged).
    for (auto type : {kernels::WeightType::BF16, kernels::WeightType::F16})
        for (bool inByOut : {false, true})
            for (int rows : {1, 5, 64, 65, 197})
                for (Shape s : {Shape{37, 100}, Shape{64, 771}, Shape{4096, 300}}) {
                    const bool bias = rows % 2 == 1;
                    const int extra = rows == 5 ? 7 : 0;
                    QTest::addRow("%s %s %d x %d -> %d%s%s", type == kernels::WeightType::BF16 ? "BF16" : "F16",
                                  inByOut ? "Conv1D" : "nn.Linear", rows, s.in, s.out, bias ? " +b" : "", extra ? " strided" : "")
                        << inByOut << rows << s.in << s.out << extra << bias << 2 << int(type);
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
    QFETCH(int, storage);
    const auto type = kernels::WeightType(storage);
    const int ldw = (inByOut ? out : in) + extraStride;
    std::vector<float> x(size_t(rows) * size_t(in)), w(size_t(inByOut ? in : out) * size_t(ldw));
    std::vector<float> b(static_cast<size_t>(out)), y(size_t(rows) * size_t(out), std::nanf(""));
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i) * 0.37f);
    for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(float(i) * 0.7f) * 0.1f;
    for (size_t i = 0; i < b.size(); ++i) b[i] = float(i) * 0.01f - 0.2f;
    std::vector<uint16_t> w16(type == kernels::WeightType::F32 ? 0 : w.size());  // stored; w becomes its exact value
    for (size_t i = 0; i < w16.size(); ++i) {
        w16[i] = type == kernels::WeightType::BF16 ? floatToBf16(w[i]) : floatToHalf(w[i]);
        w[i] = type == kernels::WeightType::BF16 ? bf16ToFloat(w16[i]) : halfToFloat(w16[i]);
    }
    kernels::setThreads(threads);
    kernels::Linear l;
    l.w = w.data();
    l.b = bias ? b.data() : nullptr;
    l.in = in;
    l.out = out;
    l.ldw = ldw;
    l.inByOut = inByOut;
    if (type != kernels::WeightType::F32) {
        l.w = nullptr;
        l.w16 = w16.data();
        l.type = type;
    }
    kernels::linear(l, x.data(), rows, y.data());
    kernels::setThreads(0);
    const double worst = worstError(x, w, bias ? b.data() : nullptr, y, rows, in, out, ldw, inByOut);
    QVERIFY2(worst < 2e-5, qPrintable(QStringLiteral("max abs error %1").arg(worst)));
}

// 16-bit weights past the few-rows kernel's reach: blocks of output columns widened for sgemm, here
// small blocks so that every shape takes several, the last one ragged (300 = 4 x 64 + 44).
void TestKernels::widenedBlocksMatchLoops_data() {
    QTest::addColumn<bool>("inByOut");
    QTest::addColumn<bool>("bf16");
    QTest::addColumn<int>("rows");
    QTest::addColumn<bool>("bias");
    for (bool inByOut : {false, true})
        for (bool bf16 : {true, false})
            for (int rows : {1, 7, 600})
                QTest::addRow("%s %s %d rows", inByOut ? "Conv1D" : "nn.Linear", bf16 ? "BF16" : "F16", rows)
                    << inByOut << bf16 << rows << (rows != 7);
}

void TestKernels::widenedBlocksMatchLoops() {
    QFETCH(bool, inByOut);
    QFETCH(bool, bf16);
    QFETCH(int, rows);
    QFETCH(bool, bias);
    const int in = 70, out = 300, ldw = (inByOut ? out : in) + 3;  // a slice of a wider tensor
    const auto type = bf16 ? kernels::WeightType::BF16 : kernels::WeightType::F16;
    std::vector<float> x(size_t(rows) * size_t(in)), w(size_t(inByOut ? in : out) * size_t(ldw)), b(static_cast<size_t>(out));
    std::vector<uint16_t> w16(w.size());
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i) * 0.37f);
    for (size_t i = 0; i < w.size(); ++i) {
        w16[i] = bf16 ? floatToBf16(std::cos(float(i) * 0.7f) * 0.1f) : floatToHalf(std::cos(float(i) * 0.7f) * 0.1f);
        w[i] = bf16 ? bf16ToFloat(w16[i]) : halfToFloat(w16[i]);
    }
    for (size_t i = 0; i < b.size(); ++i) b[i] = float(i) * 0.01f - 0.2f;
    kernels::Linear l;
    l.b = bias ? b.data() : nullptr;
    l.in = in;
    l.out = out;
    l.ldw = ldw;
    l.inByOut = inByOut;
    l.type = type;
    l.w16 = w16.data();
    std::vector<float> y(size_t(rows) * size_t(out), std::nanf(""));
    kernels::linear16(l, x.data(), rows, y.data(), out, int64_t(64) * in);  // blocks of 64 columns
    const double worst = worstError(x, w, bias ? b.data() : nullptr, y, rows, in, out, ldw, inByOut);
    QVERIFY2(worst < 2e-5, qPrintable(QStringLiteral("max abs error %1").arg(worst)));
}

// Rounding to nearest even at the edges: ties, the largest finite half, overflow, subnormals
// (expected bits from NumPy's float32 -> float16 and the bfloat16 bit formula).
void TestKernels::roundsToSixteenBits_data() {
    QTest::addColumn<float>("value");
    QTest::addColumn<uint>("bf16");
    QTest::addColumn<uint>("half");
    QTest::newRow("1") << 1.0f << 0x3f80u << 0x3c00u;
    QTest::newRow("-2") << -2.0f << 0xc000u << 0xc000u;
    QTest::newRow("0") << 0.0f << 0x0000u << 0x0000u;
    QTest::newRow("-0") << -0.0f << 0x8000u << 0x8000u;
    QTest::newRow("1 + 2^-8 (bf16 tie to even)") << 1.00390625f << 0x3f80u << 0x3c04u;
    QTest::newRow("1 + 3 * 2^-8 (bf16 tie up)") << 1.01171875f << 0x3f82u << 0x3c0cu;
    QTest::newRow("1 + 2^-11 (half tie to even)") << 1.00048828125f << 0x3f80u << 0x3c00u;
    QTest::newRow("1 + 3 * 2^-11 (half tie up)") << 1.00146484375f << 0x3f80u << 0x3c02u;
    QTest::newRow("65504 (largest half)") << 65504.0f << 0x4780u << 0x7bffu;
    QTest::newRow("65519 (rounds down)") << 65519.0f << 0x4780u << 0x7bffu;
    QTest::newRow("65520 (overflows)") << 65520.0f << 0x4780u << 0x7c00u;
    QTest::newRow("2^-14 (smallest normal half)") << std::ldexp(1.0f, -14) << 0x3880u << 0x0400u;
    QTest::newRow("2^-24 (smallest subnormal)") << std::ldexp(1.0f, -24) << 0x3380u << 0x0001u;
    QTest::newRow("2^-25 (tie to zero)") << std::ldexp(1.0f, -25) << 0x3300u << 0x0000u;
    QTest::newRow("1.5 * 2^-25 (up to 2^-24)") << std::ldexp(1.5f, -25) << 0x3340u << 0x0001u;
    QTest::newRow("3 * 2^-25 (tie up to 2^-23)") << std::ldexp(3.0f, -25) << 0x33c0u << 0x0002u;
    QTest::newRow("-1023 * 2^-24 (subnormal, rounds to normal)") << -std::ldexp(1023.75f, -24) << 0xb880u << 0x8400u;
    QTest::newRow("infinity") << INFINITY << 0x7f80u << 0x7c00u;
    QTest::newRow("1e38 (past half's range)") << 1e38f << 0x7e96u << 0x7c00u;
}

void TestKernels::roundsToSixteenBits() {
    QFETCH(float, value);
    QFETCH(uint, bf16);
    QFETCH(uint, half);
    QCOMPARE(uint(floatToBf16(value)), bf16);
    QCOMPARE(uint(floatToHalf(value)), half);
    if (std::isfinite(halfToFloat(uint16_t(half))) && std::abs(value) < 65520.0f)
        QVERIFY(std::abs(halfToFloat(uint16_t(half)) - value) <= std::max(std::abs(value) * 0x1p-11f, 0x1p-25f));
    QVERIFY(std::isnan(bf16ToFloat(floatToBf16(NAN))) && std::isnan(halfToFloat(floatToHalf(NAN))));
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

// Parts use the caller's stack: a failing part 0 must not return while the others are running.
void TestKernels::parallelForFinishesEveryPartBeforeRethrowing() {
    for (int round = 0; round < 20; ++round) {
        std::atomic<int> finished{0};
        bool caught = false;
        try {
            kernels::parallelFor(4, [&](int p) {
                if (p == 0) throw std::runtime_error("part 0 failed");
                std::this_thread::sleep_for(std::chrono::microseconds(500));
                ++finished;
            });
        } catch (const std::runtime_error&) {
            caught = true;
        }
        QVERIFY(caught);
        QCOMPARE(finished.load(), 3);
    }
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
