#pragma once

// A layer's weights as a checkpoint stores them, and the double-precision product the packed
// products are checked against (tst_packed_gemm).
#include "io/half_float.h"
#include "kernels/kernels.h"

#include <QString>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace attnscope::test {

using core::bf16ToFloat;
using core::floatToBf16;
using core::floatToHalf;
using core::halfToFloat;
using core::kernels::Activation;
using core::kernels::Linear;
using core::kernels::WeightType;

// A layer's weights as stored (both layouts, all types), with its values as doubles.
struct StoredLayer {
    Linear layer;
    std::vector<float> w32;
    std::vector<uint16_t> w16;
    std::vector<float> bias;
    std::vector<double> values;  // (out, fullIn): value[o * fullIn + i]
    int fullIn = 0;

    StoredLayer(int in, int out, bool inByOut, WeightType type, bool withBias, uint32_t seed) {
        std::mt19937 rng(seed);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        fullIn = in;
        const int ldw = inByOut ? out + 3 : in + 5;  // strided, as slices of a wider matrix
        const size_t stored = size_t(inByOut ? in : out) * size_t(ldw);
        values.assign(size_t(out) * size_t(in), 0.0);
        (type == WeightType::F32 ? w32.resize(stored) : w16.resize(stored));
        for (int o = 0; o < out; ++o)
            for (int i = 0; i < in; ++i) {
                const size_t at = inByOut ? size_t(i) * size_t(ldw) + size_t(o) : size_t(o) * size_t(ldw) + size_t(i);
                float v = u(rng);
                if (type == WeightType::F32) {
                    w32[at] = v;
                } else {
                    w16[at] = type == WeightType::BF16 ? floatToBf16(v) : floatToHalf(v);
                    v = type == WeightType::BF16 ? bf16ToFloat(w16[at]) : halfToFloat(w16[at]);
                }
                values[size_t(o) * size_t(in) + size_t(i)] = v;
            }
        if (withBias) {
            bias.resize(size_t(out));
            for (float& b : bias) b = u(rng);
        }
        layer.in = in;
        layer.out = out;
        layer.ldw = ldw;
        layer.inByOut = inByOut;
        layer.type = type;
        layer.w = w32.empty() ? nullptr : w32.data();
        layer.w16 = w16.empty() ? nullptr : w16.data();
        layer.b = bias.empty() ? nullptr : bias.data();
    }
};

inline double activated(Activation act, double x) {
    switch (act) {
        case Activation::GeluErf: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
        case Activation::GeluTanh: return 0.5 * x * (1.0 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
        case Activation::Relu: return x > 0 ? x : 0.0;
        case Activation::Silu: return x / (1.0 + std::exp(-x));
    }
    return x;
}

// y (n, out) against the double product of inputs [k0, k0 + k) (x is (n, k)), bias when withBias.
inline void compare(const StoredLayer& s, int k0, int k, const std::vector<float>& x, int n, const std::vector<float>& y, int ldy,
             bool withBias, const Activation* act) {
    const int in = s.fullIn;  // the full layer's inputs (s.layer may be a slice)
    const int out = s.layer.out;
    for (int r = 0; r < n; ++r)
        for (int o = 0; o < out; ++o) {
            double sum = withBias && !s.bias.empty() ? s.bias[size_t(o)] : 0.0, scale = std::abs(sum);
            for (int i = 0; i < k; ++i) {
                const double term = double(x[size_t(r) * size_t(k) + size_t(i)]) * s.values[size_t(o) * size_t(in) + size_t(k0 + i)];
                sum += term;
                scale += std::abs(term);
            }
            const double expected = act ? activated(*act, sum) : sum;
            const double got = y[size_t(r) * size_t(ldy) + size_t(o)];
            if (!(std::abs(got - expected) <= 2e-6 * (scale + 1.0)))  // a NaN (an output never written) fails
                QFAIL(qPrintable(QStringLiteral("row %1 column %2: %3, expected %4").arg(r).arg(o).arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9)));
        }
}

}  // namespace attnscope::test
