#pragma once

// What the kernel tests share: a kernel path chosen for one test row, and random inputs.
#include "kernels/packed_gemm.h"

#include <QTest>

#include <cstdint>
#include <random>
#include <vector>

// Selects the micro-kernel path for this row; reports the row skipped when the CPU cannot run it.
inline bool usePath(int path) {
    using namespace attnscope::core::kernels;
    if (!setGemmPath(GemmPath(path))) {
        QTest::qSkip(qPrintable(QStringLiteral("this CPU does not run the %1 kernels").arg(QLatin1String(gemmPathName(GemmPath(path))))), __FILE__,
                     __LINE__);
        return false;
    }
    return true;
}

// (n, k) values uniform in [-1, 1), the same for the same seed.
inline std::vector<float> input(int n, int k, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(size_t(n) * size_t(k));
    for (float& v : x) v = u(rng);
    return x;
}
