// The element-wise kernels give the same bits for the same values wherever they sit in memory.
// Eigen's vector loops start at the first aligned value, with a scalar exp and another order of
// sums before it, so a SiLU output once differed in the last bit between two buffers (CI).
#include "kernels/kernels.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

using namespace attnscope::core;
using namespace attnscope::core::kernels;

namespace {

// One kernel run over `count` values at `in`, writing `count` values at `out` (in place when equal).
using Run = std::function<void(const float* in, float* out)>;

struct Case {
    int count = 0;
    Run run;
};

// Deterministic values in [-12, 12) with a spread of magnitudes.
std::vector<float> values(int count, unsigned seed) {
    std::vector<float> v(static_cast<size_t>(count));
    uint32_t s = seed * 2654435761u + 1;
    for (float& x : v) {
        s = s * 1664525u + 1013904223u;
        x = float(s >> 8) / float(1 << 24) * 24.0f - 12.0f;
    }
    return v;
}

uint32_t bits(float v) {
    uint32_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

constexpr int kRows = 5, kWidth = 301; // rows of a width that is no multiple of a vector

Case activation(Activation a) {
    return {kRows * kWidth, [a](const float* in, float* out) {
                std::memmove(out, in, sizeof(float) * kRows * kWidth);
                activate(a, out, kRows * kWidth);
            }};
}

}  // namespace

Q_DECLARE_METATYPE(Case)

class TestAddressIndependence : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameBitsAtEveryOffset_data();
    void sameBitsAtEveryOffset();
};

void TestAddressIndependence::sameBitsAtEveryOffset_data() {
    QTest::addColumn<Case>("kase");
    static const std::vector<float> gamma = values(kWidth, 7), beta = values(kWidth, 8);
    const int n = 37;  // an attention of 37 tokens: rows start at every alignment
    QTest::newRow("gelu erf") << activation(Activation::GeluErf);
    QTest::newRow("gelu tanh") << activation(Activation::GeluTanh);
    QTest::newRow("silu") << activation(Activation::Silu);
    QTest::newRow("relu") << activation(Activation::Relu);
    QTest::newRow("layer norm") << Case{kRows * kWidth, [](const float* in, float* out) {
                                            layerNorm(in, kRows, kWidth, gamma.data(), beta.data(), 1e-5f, out);
                                        }};
    QTest::newRow("rms norm") << Case{kRows * kWidth, [](const float* in, float* out) {
                                          rmsNorm(in, kRows, kWidth, gamma.data(), 1e-6f, false, out);
                                      }};
    QTest::newRow("rms norm, 1 + w") << Case{kRows * kWidth, [](const float* in, float* out) {
                                                 rmsNorm(in, kRows, kWidth, gamma.data(), 1e-6f, true, out);
                                             }};
    for (bool causal : {false, true}) {
        const QString how = causal ? QStringLiteral(", causal") : QString();
        QTest::newRow(qPrintable(QStringLiteral("scaled masked softmax") + how))
            << Case{n * n, [causal](const float* in, float* out) {
                        std::vector<float> scores(size_t(n) * n);
                        scaledMaskedSoftmax(in, n, 8.0f, causal, scores.data(), out);
                    }};
        QTest::newRow(qPrintable(QStringLiteral("windowed softmax, no scores") + how))
            << Case{n * n, [causal](const float* in, float* out) { windowedSoftmax(in, n, 0.125f, causal, 0, nullptr, out); }};
    }
    QTest::newRow("windowed softmax, window 5")
        << Case{n * n, [](const float* in, float* out) { windowedSoftmax(in, n, 0.125f, true, 5, nullptr, out); }};
    QTest::newRow("softmax of a vector") << Case{1000, [](const float* in, float* out) {
                                                     std::memmove(out, in, sizeof(float) * 1000);
                                                     softmax(out, 1000);
                                                 }};
}

// The inputs copied to each of 16 float offsets from a 64-byte boundary (both the input and the
// output moved), every output bit for bit the one at offset 0.
void TestAddressIndependence::sameBitsAtEveryOffset() {
    QFETCH(Case, kase);
    const std::vector<float> x = values(kase.count, 3);
    std::vector<float> first;
    for (int offset = 0; offset < 16; ++offset) {
        std::vector<float> inStore(size_t(kase.count) + 32), outStore(size_t(kase.count) + 32);
        auto at = [offset](std::vector<float>& v) {
            const auto address = reinterpret_cast<uintptr_t>(v.data());
            return v.data() + ((64 - address % 64) % 64) / sizeof(float) + offset;
        };
        float* in = at(inStore);
        float* out = at(outStore);
        std::copy(x.begin(), x.end(), in);
        std::fill(out, out + kase.count, std::nanf(""));
        kase.run(in, out);
        if (offset == 0) {
            first.assign(out, out + kase.count);
            for (float v : first) QVERIFY(std::isfinite(v));
            continue;
        }
        for (int i = 0; i < kase.count; ++i)
            if (std::memcmp(&first[size_t(i)], out + i, sizeof(float)) != 0)
                QFAIL(qPrintable(QStringLiteral("offset %1, value %2: %3, at offset 0 %4 (bits %5, %6)")
                                     .arg(offset)
                                     .arg(i)
                                     .arg(double(out[i]), 0, 'g', 9)
                                     .arg(double(first[size_t(i)]), 0, 'g', 9)
                                     .arg(bits(out[i]), 0, 16)
                                     .arg(bits(first[size_t(i)]), 0, 16)));
    }
}

QTEST_GUILESS_MAIN(TestAddressIndependence)
#include "tst_address_independence.moc"
