// An MLP's hidden layer kept at kernels::inputStride(I) (kernels/packed_gemm.h): the first layer
// stores its rows that far apart, the second reads them from there without the spread copy a
// colliding stride would take (spread_rows.h), and every value is the same bit for bit as on dense
// rows, on the packed paths and through BLAS; the columns past I are never written.
#include "kernel_test_support.h"
#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "kernels/packed_linear.h"
#include "kernels/spread_rows.h"
#include "stored_layer.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

using namespace attnscope::core;
using namespace attnscope::core::kernels;
using namespace attnscope::test;

class TestStridedLayers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() {
        setGemmPath(m_initial);
        setThreads(0);
    }
    void inputStrides_data();
    void inputStrides();
    void mlp_data();
    void mlp();
    void gateUp_data();
    void gateUp();

private:
    GemmPath m_initial = gemmPath();
};

static const float kUntouched = 1234.5f;

static bool same(const float* a, const float* b, size_t count) { return std::memcmp(a, b, count * sizeof(float)) == 0; }

// Rows (n, width) of a buffer ld wide are `dense`, and every column past width still kUntouched.
static bool rowsAre(const std::vector<float>& buffer, int64_t ld, const std::vector<float>& dense, int n, int width) {
    for (int i = 0; i < n; ++i) {
        const float* row = buffer.data() + int64_t(i) * ld;
        if (!same(row, dense.data() + int64_t(i) * width, size_t(width))) return false;
        for (int64_t c = width; c < ld; ++c)
            if (row[c] != kUntouched) return false;
    }
    return true;
}

static void addPaths(const std::function<void(GemmPath, const QString&)>& rows) {
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2, GemmPath::Blas}) rows(p, QString::fromLatin1(gemmPathName(p)));
}

void TestStridedLayers::inputStrides_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("k");
    QTest::addColumn<bool>("padded");
    addPaths([](GemmPath p, const QString& name) {
        const bool packs = p != GemmPath::Blas;
        for (auto [k, collides] : std::initializer_list<std::pair<int, bool>>{{3072, true}, {2048, true}, {8192, true}, {768, false}, {1000, false}})
            QTest::newRow(qPrintable(name + QStringLiteral(": %1").arg(k))) << int(p) << k << (packs && collides);
    });
}

// Padded exactly where the rows would collide and the path packs: a spread copy's stride.
void TestStridedLayers::inputStrides() {
    QFETCH(int, path);
    QFETCH(int, k);
    QFETCH(bool, padded);
    if (!usePath(path)) return;
    const int64_t ld = inputStride(k);
    QCOMPARE(ld, padded ? spreadStride(k) : int64_t(k));
    QVERIFY(!inputRowsCollide(ld) || !padded);
}

void TestStridedLayers::mlp_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("inner");
    QTest::addColumn<int>("act");
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("inByOut");
    addPaths([](GemmPath p, const QString& name) {
        auto row = [&](const char* what, int n, int hidden, int inner, Activation act, int threads, bool inByOut) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what)))
                << int(p) << n << hidden << inner << int(act) << threads << inByOut;
        };
        row("ViT-like: 197 rows, 3072 inner, gelu, 2 threads", 197, 96, 3072, Activation::GeluErf, 2, false);
        row("GPT-2-like Conv1D: 40 rows, 3072 inner, gelu tanh", 40, 64, 3072, Activation::GeluTanh, 1, true);
        row("1024 inner, relu, 2 threads", 130, 80, 1024, Activation::Relu, 2, false);
        row("768 inner: dense anyway", 33, 64, 768, Activation::GeluErf, 2, false);
        row("one row", 1, 64, 2048, Activation::Silu, 1, false);
    });
}

// h = act(x W1 + b1) at inputStride(inner), x += h W2 + b2 read from there: as on dense rows, and
// the second product copies nothing.
void TestStridedLayers::mlp() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, hidden);
    QFETCH(int, inner);
    QFETCH(int, act);
    QFETCH(int, threads);
    QFETCH(bool, inByOut);
    if (!usePath(path)) return;
    setThreads(threads);
    StoredLayer fc(hidden, inner, inByOut, WeightType::F32, true, 41), proj(inner, hidden, inByOut, WeightType::F32, true, 42);
    fc.layer.packed = PackedLinear::pack({&fc.layer});
    proj.layer.packed = PackedLinear::pack({&proj.layer});
    const Activation activation = Activation(act);
    const auto x = input(n, hidden, 43);
    const auto stream = input(n, hidden, 44);

    std::vector<float> dense(size_t(n) * size_t(inner)), y(size_t(n) * size_t(hidden)), sum = stream;
    linearActivated(fc.layer, activation, x.data(), n, dense.data());
    linearResidual(proj.layer, dense.data(), n, y.data(), sum.data());

    const int64_t ld = inputStride(inner);
    std::vector<float> h(size_t(n) * size_t(ld), kUntouched), yStrided(y.size()), sumStrided = stream;
    linearActivated(fc.layer, activation, x.data(), n, h.data(), ld);
    const uint64_t before = inputsSpread();
    linearResidual(proj.layer, h.data(), ld, n, yStrided.data(), sumStrided.data());
    if (path != int(GemmPath::Blas) && n > 1) QCOMPARE(inputsSpread(), before);  // read where it is
    QVERIFY(rowsAre(h, ld, dense, n, inner));
    QVERIFY(same(y.data(), yStrided.data(), y.size()));
    QVERIFY(same(sum.data(), sumStrided.data(), sum.size()));
    for (float v : y) QVERIFY(std::isfinite(v));
}

void TestStridedLayers::gateUp_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("fused");
    addPaths([](GemmPath p, const QString& name) {
        QTest::newRow(qPrintable(name + QStringLiteral(": packed together, 77 rows"))) << int(p) << 77 << true;
        QTest::newRow(qPrintable(name + QStringLiteral(": one layer at a time, 20 rows"))) << int(p) << 20 << false;
    });
}

// linearFused (a decoder's gate and up projections) into rows ldy apart: as into dense rows.
void TestStridedLayers::gateUp() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(bool, fused);
    if (!usePath(path)) return;
    const int hidden = 64, inner = 2048;
    StoredLayer gate(hidden, inner, false, WeightType::BF16, false, 51), up(hidden, inner, false, WeightType::BF16, false, 52);
    const std::vector<const Linear*> layers{&gate.layer, &up.layer};
    const auto packed = fused ? PackedLinear::pack(layers) : nullptr;
    const auto x = input(n, hidden, 53);
    std::vector<float> g(size_t(n) * size_t(inner)), u(g.size());
    float* const dense[] = {g.data(), u.data()};
    linearFused(layers, packed.get(), x.data(), n, dense);
    const int64_t ld = inner + 16;
    std::vector<float> gs(size_t(n) * size_t(ld), kUntouched), us(gs.size(), kUntouched);
    float* const strided[] = {gs.data(), us.data()};
    linearFused(layers, packed.get(), x.data(), n, strided, ld);
    QVERIFY(rowsAre(gs, ld, g, n, inner));
    QVERIFY(rowsAre(us, ld, u, n, inner));
}

QTEST_GUILESS_MAIN(TestStridedLayers)
#include "tst_strided_layers.moc"
