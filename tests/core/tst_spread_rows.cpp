// Inputs whose rows collide in the L1 cache (a stride of a multiple of 4 KiB) are multiplied from a
// copy spread one line apart (kernels/packed_gemm.h): which strides collide, and products on such
// inputs (weights, attention scores and contexts, causal heads, more rows than one copy holds)
// identical bit for bit to the same products on rows that do not collide.
#include "kernel_test_support.h"
#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "kernels/packed_linear.h"
#include "kernels/spread_rows.h"
#include "stored_layer.h"

#include <QTest>

#include <cstring>
#include <vector>

using namespace attnscope::core;
using namespace attnscope::core::kernels;
using namespace attnscope::test;

class TestSpreadRows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() {
        setGemmPath(m_initial);
        setThreads(0);
    }
    void collidingStrides_data();
    void collidingStrides();
    void weightProducts_data();
    void weightProducts();
    void headProducts_data();
    void headProducts();

private:
    GemmPath m_initial = gemmPath();
};

// (rows, k) values stored ld apart (the rest NaN, never read).
static std::vector<float> strided(const std::vector<float>& rows, int n, int k, int64_t ld) {
    std::vector<float> out(size_t(n) * size_t(ld), std::nanf(""));
    for (int r = 0; r < n; ++r) std::copy_n(rows.data() + size_t(r) * size_t(k), k, out.data() + size_t(r) * size_t(ld));
    return out;
}

static bool same(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void TestSpreadRows::collidingStrides_data() {
    QTest::addColumn<qlonglong>("ld");
    QTest::addColumn<bool>("collides");
    // 64 sets of 64-byte lines: a stride of s bytes puts 14 rows in 4096 / gcd(s mod 4096, 4096) / 64 sets.
    for (auto [ld, collides] : std::initializer_list<std::pair<qlonglong, bool>>{
             {64, false}, {128, false}, {256, false}, {512, false}, {768, false}, {1000, false}, {1040, false},
             {3088, false}, {1024, true}, {2048, true}, {3072, true}, {4096, true}, {8192, true}, {5120, true}})
        QTest::newRow(qPrintable(QString::number(ld))) << ld << collides;
}

void TestSpreadRows::collidingStrides() {
    QFETCH(qlonglong, ld);
    QFETCH(bool, collides);
    QCOMPARE(inputRowsCollide(ld), collides);
}

void TestSpreadRows::weightProducts_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("segments");
    QTest::addColumn<bool>("residual");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("copies");  // slabs spread
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2}) {
        const QString name = QString::fromLatin1(gemmPathName(p));
        auto row = [&](const char* what, int n, int in, WeightType t, int segments, bool residual, int threads, int copies) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what)))
                << int(p) << n << in << int(t) << segments << residual << threads << copies;
        };
        row("3072 inputs (an FFN's second layer), residual, 2 threads", 197, 3072, WeightType::F32, 1, true, 2, 1);
        row("1024 inputs, gelu, 1 thread", 40, 1024, WeightType::F32, 1, false, 1, 1);
        row("bf16, 2048 inputs, three segments", 77, 2048, WeightType::BF16, 3, false, 2, 1);
        row("2100 rows of 1024 (two slabs), three segments", 2100, 1024, WeightType::F32, 3, false, 2, 2);
        row("2100 rows of 1024 (two slabs), residual", 2100, 1024, WeightType::F16, 1, true, 2, 2);
        row("768 inputs: not copied", 130, 768, WeightType::F32, 1, true, 2, 0);
    }
}

// The product on rows `in` apart and on the same rows `in + 16` apart: the same values.
void TestSpreadRows::weightProducts() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, type);
    QFETCH(int, segments);
    QFETCH(bool, residual);
    QFETCH(int, threads);
    QFETCH(int, copies);
    if (!usePath(path)) return;
    setThreads(threads);
    const int out = 2 * kPanelWidth + 5;  // a partial panel
    std::vector<StoredLayer> stored;
    for (int s = 0; s < segments; ++s) stored.emplace_back(in, out, s == 1, WeightType(type), s != 2, uint32_t(in + s));
    std::vector<const Linear*> layers;
    for (const StoredLayer& s : stored) layers.push_back(&s.layer);
    const auto packed = PackedLinear::pack(layers);
    const auto x = input(n, in, 21);
    const auto stream = input(n, out, 22);
    const Activation gelu = Activation::GeluErf;
    auto run = [&](int64_t ld, std::vector<std::vector<float>>* ys, std::vector<float>* sum) {
        const auto rows = strided(x, n, in, ld);
        *sum = stream;
        ys->assign(size_t(segments), std::vector<float>(size_t(n) * size_t(out), std::nanf("")));
        std::vector<PackedOutput> outs;
        for (int s = 0; s < segments; ++s) outs.push_back({(*ys)[size_t(s)].data(), out, residual ? sum->data() : nullptr});
        if (residual && segments > 1) QFAIL("one residual stream per product");
        packedProduct(*packed, 0, in, rows.data(), ld, n, outs.data(), residual ? nullptr : &gelu);
    };
    std::vector<std::vector<float>> spread, apart;
    std::vector<float> spreadSum, apartSum;
    const uint64_t before = inputsSpread();
    run(in, &spread, &spreadSum);
    QCOMPARE(int(inputsSpread() - before), copies);
    run(in + 16, &apart, &apartSum);
    QCOMPARE(int(inputsSpread() - before), copies);  // in + 16 never collides here
    for (int s = 0; s < segments; ++s) QVERIFY2(same(spread[size_t(s)], apart[size_t(s)]), qPrintable(QStringLiteral("segment %1").arg(s)));
    QVERIFY(same(spreadSum, apartSum));
    for (float v : spread[0]) QVERIFY(std::isfinite(v));
}

void TestSpreadRows::headProducts_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("lda");
    QTest::addColumn<bool>("bIsKByN");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("copies");
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2}) {
        const QString name = QString::fromLatin1(gemmPathName(p));
        auto row = [&](const char* what, int m, int k, int lda, bool bIsKByN, bool causal, int copies) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what))) << int(p) << m << k << lda << bIsKByN << causal << copies;
        };
        row("scores, queries 2048 apart (16 heads of 128)", 150, 128, 2048, false, false, 1);
        row("causal scores, queries 1024 apart", 150, 64, 1024, false, true, 1);
        row("contexts of 2048 tokens (three slabs)", 2048, 2048, 2048, true, false, 3);
        row("causal contexts of 2048 tokens (three slabs)", 2048, 2048, 2048, true, true, 3);
        row("scores, queries 768 apart: not copied", 150, 64, 768, false, true, 0);
    }
}

// productHere (one head) on a's rows lda apart and on the same rows lda + 16 apart: the same values.
void TestSpreadRows::headProducts() {
    QFETCH(int, path);
    QFETCH(int, m);
    QFETCH(int, k);
    QFETCH(int, lda);
    QFETCH(bool, bIsKByN);
    QFETCH(bool, causal);
    QFETCH(int, copies);
    if (!usePath(path)) return;
    const int n = bIsKByN ? 64 : m;  // values (k tokens, 64 wide) or keys (m tokens)
    auto a = input(m, k, 31);
    if (causal && bIsKByN)  // causal probabilities: zero after the diagonal
        for (int i = 0; i < m; ++i) std::fill(a.begin() + i * k + i + 1, a.begin() + (i + 1) * k, 0.0f);
    const int ldb = bIsKByN ? n + 3 : k + 3;
    const auto b = input(bIsKByN ? k : n, ldb, 32);
    auto run = [&](int64_t ld) {
        const auto rows = strided(a, m, k, ld);
        std::vector<float> c(size_t(m) * size_t(n), 0.0f), scratch;
        productHere(rows.data(), ld, m, k, b.data(), ldb, bIsKByN, n, c.data(), n, scratch, causal);
        if (causal && !bIsKByN)  // entries after the diagonal may be left unwritten
            for (int i = 0; i < m; ++i) std::fill(c.begin() + i * n + i + 1, c.begin() + (i + 1) * n, 0.0f);
        return c;
    };
    const uint64_t before = inputsSpread();
    const auto spread = run(lda);
    QCOMPARE(int(inputsSpread() - before), copies);
    const auto apart = run(lda + 16);
    QCOMPARE(int(inputsSpread() - before), copies);
    QVERIFY(same(spread, apart));
}

QTEST_GUILESS_MAIN(TestSpreadRows)
#include "tst_spread_rows.moc"
