// The attention heads' products (kernels/packed_gemm.h productHere), on the calling thread, on every
// micro-kernel this CPU runs and on the Eigen fallback, against double-precision sums: scores
// (B as keys, transposed) and contexts (B as values), causal heads' skipped blocks included.
#include "kernel_test_support.h"
#include "kernels/packed_gemm.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace attnscope::core::kernels;

class TestHeadProducts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { setGemmPath(m_initial); }
    void productOnThisThread_data();
    void productOnThisThread();

private:
    GemmPath m_initial = gemmPath();
};

void TestHeadProducts::productOnThisThread_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("bIsKByN");
    QTest::addColumn<bool>("causal");
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2, GemmPath::Blas}) {
        const QString name = QString::fromLatin1(gemmPathName(p));
        auto row = [&](const char* what, int m, int k, int n, bool bIsKByN, bool causal) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what))) << int(p) << m << k << n << bIsKByN << causal;
        };
        row("scores, 7 queries of d 64", 7, 64, 7, false, false);
        row("scores, 45 queries of d 16", 45, 16, 45, false, false);
        row("context, 1300 keys, d 64", 1300, 1300, 64, true, false);
        row("context, 13 keys, d 40", 13, 13, 40, true, false);
        // Causal heads: scores only up to the diagonal (tiles skip the panels after their rows),
        // contexts from the probabilities up to it.
        row("causal scores, 100 queries of d 64", 100, 64, 100, false, true);
        row("causal scores, 33 queries of d 8", 33, 8, 33, false, true);
        row("causal context, 100 keys, d 64", 100, 100, 64, true, true);
        row("causal context, 1100 keys, d 24", 1100, 1100, 24, true, true);
    }
}

// productHere (attention heads): c = a . B with B given as (k, n) or as its transpose (n, k), strided.
void TestHeadProducts::productOnThisThread() {
    QFETCH(int, path);
    QFETCH(int, m);
    QFETCH(int, k);
    QFETCH(int, n);
    QFETCH(bool, bIsKByN);
    QFETCH(bool, causal);
    if (!usePath(path)) return;
    const int lda = k + 3, ldb = (bIsKByN ? n : k) + 5, ldc = n + 2;
    auto a = input(m, lda, 1);
    const auto b = input(bIsKByN ? k : n, ldb, 2);
    if (causal && bIsKByN)  // causal probabilities: zero after the diagonal
        for (int i = 0; i < m; ++i) std::fill(a.begin() + i * lda + i + 1, a.begin() + i * lda + k, 0.0f);
    std::vector<float> c(size_t(m) * size_t(ldc), std::nanf("")), scratch;
    productHere(a.data(), lda, m, k, b.data(), ldb, bIsKByN, n, c.data(), ldc, scratch, causal);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < (causal && !bIsKByN ? i + 1 : n); ++j) {
            double sum = 0, scale = 0;
            for (int t = 0; t < k; ++t) {
                const double term = double(a[size_t(i) * lda + size_t(t)]) *
                                    (bIsKByN ? b[size_t(t) * ldb + size_t(j)] : b[size_t(j) * ldb + size_t(t)]);
                sum += term;
                scale += std::abs(term);
            }
            QVERIFY2(std::abs(c[size_t(i) * ldc + size_t(j)] - sum) <= 2e-6 * (scale + 1), qPrintable(QStringLiteral("%1, %2").arg(i).arg(j)));
        }
}

QTEST_APPLESS_MAIN(TestHeadProducts)
#include "tst_head_products.moc"
