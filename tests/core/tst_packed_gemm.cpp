// The packed products (kernels/packed_gemm.h) on every micro-kernel this CPU runs, against a
// double-precision product of the same stored weights: both storage layouts, three weight types,
// row counts around the tile heights, widths around the panel width, biases, activations, layers
// packed side by side, input slices, one and two threads, shares taken by the other core.
// (The attention heads' products on one thread: tst_head_products.cpp.)
#include "io/checkpoint.h"
#include "io/half_float.h"
#include "kernel_test_support.h"
#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "kernels/parallel_for.h"
#include "model/model_loader.h"
#include "stored_layer.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace attnscope::core;
using namespace attnscope::core::kernels;
using namespace attnscope::test;

class TestPackedGemm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() {
        setGemmPath(m_initial);
        setThreads(0);
    }
    void product_data();
    void product();
    void sideBySide_data();
    void sideBySide();
    void stolenPanels_data();
    void stolenPanels();
    void residual_data();
    void residual();
    void inputSlice_data();
    void inputSlice();
    void loadingGivesBackTheMappedWeights();

private:
    GemmPath m_initial = gemmPath();
};

namespace {

void addPathColumn() { QTest::addColumn<int>("path"); }

// Rows for every micro-kernel this CPU runs (a path it cannot run is reported as skipped).
template <class AddRows>
void forEachPath(AddRows addRows) {
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2}) addRows(p, QString::fromLatin1(gemmPathName(p)));
}

}  // namespace

void TestPackedGemm::product_data() {
    addPathColumn();
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<bool>("inByOut");
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("bias");
    QTest::addColumn<int>("act");  // -1: none
    QTest::addColumn<int>("threads");
    forEachPath([](GemmPath p, const QString& name) {
        const int P = int(p);
        auto row = [&](const char* what, int n, int in, int out, bool inByOut, WeightType t, bool bias, int act, int threads) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what)))
                << P << n << in << out << inByOut << int(t) << bias << act << threads;
        };
        row("one row, nn.Linear", 1, 64, 32, false, WeightType::F32, true, -1, 1);
        row("5 rows, ragged width", 5, 48, 40, false, WeightType::F32, true, -1, 2);
        row("12 rows", 12, 96, 96, false, WeightType::F32, false, -1, 2);
        row("13 rows, Conv1D", 13, 70, 72, true, WeightType::F32, true, -1, 2);
        row("16 rows, narrow", 16, 33, 7, false, WeightType::F32, true, -1, 1);
        row("31 rows, Conv1D gelu", 31, 64, 130, true, WeightType::F32, true, int(Activation::GeluErf), 2);
        row("100 rows, gelu tanh", 100, 128, 96, false, WeightType::F32, true, int(Activation::GeluTanh), 2);
        row("bf16, 7 rows", 7, 64, 64, false, WeightType::BF16, true, -1, 2);
        row("bf16 Conv1D, 29 rows silu", 29, 80, 48, true, WeightType::BF16, false, int(Activation::Silu), 2);
        row("f16, 40 rows relu", 40, 96, 100, false, WeightType::F16, true, int(Activation::Relu), 2);
        row("f16 Conv1D, 3 rows", 3, 32, 32, true, WeightType::F16, false, -1, 1);
        row("inner length 1", 6, 1, 20, false, WeightType::F32, true, -1, 1);
        // The tallest tiles (14 rows on AVX-512) up to 256 rows, 12-row tiles beyond.
        row("14 rows, one tall tile", 14, 64, 64, false, WeightType::F32, true, -1, 1);
        row("27 rows, tiles of 13 and 14, gelu", 27, 96, 70, true, WeightType::F32, true, int(Activation::GeluErf), 2);
        row("bf16, 28 rows", 28, 64, 96, false, WeightType::BF16, true, -1, 2);
        row("f16 Conv1D, 14 rows relu", 14, 48, 64, true, WeightType::F16, false, int(Activation::Relu), 1);
        row("256 rows, the last of the tall tiles", 256, 80, 64, false, WeightType::F32, true, -1, 2);
        row("257 rows, 12-row tiles", 257, 80, 64, false, WeightType::F32, true, int(Activation::GeluTanh), 2);
        // Past kInnerBlock (1024) inputs a tile adds block after block into its output; the bias
        // once, the activation after the last block.
        row("2500 inputs in three blocks, gelu", 13, 2500, 40, false, WeightType::F32, true, int(Activation::GeluErf), 2);
        row("bf16 Conv1D, 1100 inputs", 30, 1100, 64, true, WeightType::BF16, true, -1, 2);
        row("f16, 1025 inputs, silu", 5, 1025, 33, false, WeightType::F16, true, int(Activation::Silu), 1);
    });
}

void TestPackedGemm::product() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(bool, inByOut);
    QFETCH(int, type);
    QFETCH(bool, bias);
    QFETCH(int, act);
    QFETCH(int, threads);
    if (!usePath(path)) return;
    setThreads(threads);
    StoredLayer s(in, out, inByOut, WeightType(type), bias, uint32_t(n * 131 + out));
    Linear layer = s.layer;
    layer.packed = PackedLinear::pack({&s.layer});
    const auto x = input(n, in, 7);
    std::vector<float> y(size_t(n) * size_t(out), std::nanf(""));
    const Activation a = Activation(std::max(act, 0));
    if (act >= 0)
        linearActivated(layer, a, x.data(), n, y.data());
    else
        linear(layer, x.data(), n, y.data());
    compare(s, 0, in, x, n, y, out, bias, act >= 0 ? &a : nullptr);
}

void TestPackedGemm::sideBySide_data() {
    addPathColumn();
    QTest::addColumn<int>("n");
    forEachPath([](GemmPath p, const QString& name) {
        for (int n : {1, 9, 24, 61}) QTest::newRow(qPrintable(name + QStringLiteral(", %1 rows").arg(n))) << int(p) << n;
    });
}

// Three layers of widths 40, 16 and 72 (none a multiple of the panel) packed as one product, each
// segment into its own output: the fused Q/K/V and gate/up projections.
void TestPackedGemm::sideBySide() {
    QFETCH(int, path);
    QFETCH(int, n);
    if (!usePath(path)) return;
    const int in = 56;
    StoredLayer a(in, 40, false, WeightType::F32, true, 1), b(in, 16, false, WeightType::F32, false, 2), c(in, 72, false, WeightType::F32, true, 3);
    const auto fused = PackedLinear::pack({&a.layer, &b.layer, &c.layer});
    QCOMPARE(fused->segments(), 3);
    QCOMPARE(fused->panels(), 2 + 1 + 3);
    const auto x = input(n, in, 5);
    std::vector<float> ya(size_t(n) * 40, std::nanf("")), yb(size_t(n) * 16, std::nanf("")), yc(size_t(n) * 72, std::nanf(""));
    float* const ys[] = {ya.data(), yb.data(), yc.data()};
    linearFused({&a.layer, &b.layer, &c.layer}, fused.get(), x.data(), n, ys);
    compare(a, 0, in, x, n, ya, 40, true, nullptr);
    compare(b, 0, in, x, n, yb, 16, false, nullptr);
    compare(c, 0, in, x, n, yc, 72, true, nullptr);
    // Without the packing, the same through one product per layer.
    std::vector<float> again(size_t(n) * 72);
    float* const ys2[] = {ya.data(), yb.data(), again.data()};
    linearFused({&a.layer, &b.layer, &c.layer}, nullptr, x.data(), n, ys2);
    for (size_t i = 0; i < again.size(); ++i) QVERIFY(std::abs(again[i] - yc[i]) <= 1e-5f * (1.0f + std::abs(yc[i])));
}

void TestPackedGemm::stolenPanels_data() {
    addPathColumn();
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("parts");
    QTest::addColumn<bool>("inByOut");
    forEachPath([](GemmPath p, const QString& name) {
        auto row = [&](const char* what, int n, int out, int parts, bool inByOut) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what))) << int(p) << n << out << parts << inByOut;
        };
        row("13 rows, 5 panels in 3 parts (shares end mid-panel)", 13, 130, 3, false);
        row("40 rows, 7 panels in 4 parts, Conv1D", 40, 200, 4, true);
        row("1 row, 3 panels in 2 parts", 1, 96, 2, false);
        row("25 rows, 2 panels in 5 parts", 25, 64, 5, false);
    });
}

// A part done early takes the other parts' panels from their back ends, each with the row tiles of
// its owner's share. Run inside another parallelFor, the parts run one after another on one thread:
// part 0 takes its own panels, then every other part's, so each stolen share is exercised.
void TestPackedGemm::stolenPanels() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, out);
    QFETCH(int, parts);
    QFETCH(bool, inByOut);
    if (!usePath(path)) return;
    setThreads(parts);
    const int in = 600;  // enough multiply-adds for every part
    StoredLayer s(in, out, inByOut, WeightType::F32, true, uint32_t(n + out));
    Linear layer = s.layer;
    layer.packed = PackedLinear::pack({&s.layer});
    const auto x = input(n, in, 3);
    std::vector<float> y(size_t(n) * size_t(out), std::nanf(""));
    parallelFor(2, [&](int part) {
        if (part == 0) linearActivated(layer, Activation::GeluErf, x.data(), n, y.data());
    });
    const Activation a = Activation::GeluErf;
    compare(s, 0, in, x, n, y, out, true, &a);
}

void TestPackedGemm::residual_data() {
    addPathColumn();
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("act");  // -1: none
    forEachPath([](GemmPath p, const QString& name) {
        auto row = [&](const char* what, int n, int in, int out, WeightType t, int act) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what))) << int(p) << n << in << out << int(t) << act;
        };
        row("1 row", 1, 64, 32, WeightType::F32, -1);
        row("13 rows, ragged width", 13, 96, 70, WeightType::F32, -1);
        row("30 rows, 2500 inputs in three blocks", 30, 2500, 64, WeightType::F32, -1);
        row("bf16, 17 rows", 17, 128, 40, WeightType::BF16, -1);
        row("gelu in the tile", 9, 80, 48, WeightType::F32, int(Activation::GeluErf));
        row("silu in a pass after the tile", 14, 1100, 33, WeightType::F16, int(Activation::Silu));
    });
}

// residual += y as the tiles store y: y as the product alone gives it, and each residual value
// the float sum x + y that addInPlace computes, bit for bit; on every path and on BLAS.
void TestPackedGemm::residual() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(int, type);
    QFETCH(int, act);
    if (!usePath(path)) return;
    setThreads(2);
    StoredLayer s(in, out, false, WeightType(type), true, uint32_t(n + in));
    Linear layer = s.layer;
    layer.packed = PackedLinear::pack({&s.layer});
    const auto x = input(n, in, 11), start = input(n, out, 12);
    const Activation a = Activation(std::max(act, 0));
    const Activation* activation = act >= 0 ? &a : nullptr;
    std::vector<float> alone(size_t(n) * size_t(out), std::nanf(""));
    if (activation) linearActivated(layer, a, x.data(), n, alone.data());
    else linear(layer, x.data(), n, alone.data());
    compare(s, 0, in, x, n, alone, out, true, activation);
    for (bool packed : {true, false}) {
        std::vector<float> y(alone.size(), std::nanf("")), r = start;
        if (packed) {
            const PackedOutput o{y.data(), out, r.data()};
            packedProduct(*layer.packed, 0, in, x.data(), in, n, &o, activation);
        } else if (!activation) {
            Linear stored = s.layer;  // no packed panels: linear() then addInPlace()
            linearResidual(stored, x.data(), n, y.data(), r.data());
        } else {
            continue;
        }
        if (!packed) compare(s, 0, in, x, n, y, out, true, nullptr);
        for (size_t i = 0; i < r.size(); ++i) {
            if (packed && y[i] != alone[i]) QFAIL(qPrintable(QStringLiteral("y[%1]: %2, alone %3").arg(i).arg(y[i]).arg(alone[i])));
            if (r[i] != start[i] + y[i]) QFAIL(qPrintable(QStringLiteral("residual[%1]: %2, expected %3").arg(i).arg(r[i]).arg(start[i] + y[i])));
        }
    }
    // linearResidual on the packed layer: the same as the product with the residual given.
    std::vector<float> y(alone.size()), r = start;
    if (!activation) {
        linearResidual(layer, x.data(), n, y.data(), r.data());
        for (size_t i = 0; i < r.size(); ++i) QVERIFY(y[i] == alone[i] && r[i] == start[i] + alone[i]);
    }
}

void TestPackedGemm::inputSlice_data() {
    addPathColumn();
    QTest::addColumn<bool>("inByOut");
    QTest::addColumn<int>("type");
    forEachPath([](GemmPath p, const QString& name) {
        QTest::newRow(qPrintable(name + QStringLiteral(", nn.Linear"))) << int(p) << false << int(WeightType::F32);
        QTest::newRow(qPrintable(name + QStringLiteral(", Conv1D"))) << int(p) << true << int(WeightType::F32);
        QTest::newRow(qPrintable(name + QStringLiteral(", bf16"))) << int(p) << false << int(WeightType::BF16);
    });
}

// inputSlice() of a packed layer reads the packed inputs [first, first + count) without the bias:
// one head's rows of an output projection (AttentionBuffers::valueNorms).
void TestPackedGemm::inputSlice() {
    QFETCH(int, path);
    QFETCH(bool, inByOut);
    QFETCH(int, type);
    if (!usePath(path)) return;
    StoredLayer s(96, 64, inByOut, WeightType(type), true, 9);
    Linear layer = s.layer;
    layer.packed = PackedLinear::pack({&s.layer});
    for (int first : {0, 32, 64}) {
        const Linear slice = kernels::inputSlice(layer, first, 32);
        const int n = 11;
        const auto x = input(n, 32, uint32_t(first));
        std::vector<float> y(size_t(n) * 64, std::nanf(""));
        linear(slice, x.data(), n, y.data());
        StoredLayer view = s;
        view.layer = slice;
        compare(view, first, 32, x, n, y, 64, false, nullptr);
    }
}

namespace {

// Resident kilobytes of this process's mappings of `path` (/proc/self/smaps), or -1 when not mapped.
qint64 residentKiB(const QString& path) {
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly)) return -1;
    qint64 total = -1;
    bool inside = false;
    for (const QByteArray& line : smaps.readAll().split('\n')) {
        static const QRegularExpression header(QStringLiteral("^[0-9a-f]+-[0-9a-f]+ "));
        if (header.match(QString::fromUtf8(line)).hasMatch())
            inside = line.endsWith(path.toUtf8());
        else if (inside && line.startsWith("Rss:"))
            total = std::max<qint64>(total, 0) + line.mid(4).trimmed().split(' ').first().toLongLong();
    }
    return total;
}

}  // namespace

// A float32 checkpoint's matrices leave the process's memory once packed (the packed copy replaces
// them; peak memory stays near one copy of the weights): after loading, only the embedding table
// and the 1-D tensors of the mapped file are resident.
void TestPackedGemm::loadingGivesBackTheMappedWeights() {
    if (!packingEnabled()) QSKIP("the BLAS path does not pack");
    QTemporaryDir dir;
    const QJsonObject json{{"model_type", "bert"}, {"hidden_size", 256}, {"num_hidden_layers", 3}, {"num_attention_heads", 4},
                           {"intermediate_size", 1024}, {"vocab_size", 64}, {"max_position_embeddings", 64}, {"type_vocab_size", 2}};
    const auto config = parseModelConfig(json);
    QVERIFY(config);
    {
        const auto synthetic = Checkpoint::synthetic(3);
        QVERIFY(buildModel(*config, synthetic));
        QVERIFY(synthetic->saveSynthetic(dir.filePath(QStringLiteral("model.safetensors"))));
    }
    const QString file = dir.filePath(QStringLiteral("model.safetensors"));
    const qint64 fileKiB = QFileInfo(file).size() / 1024;
    auto ckpt = Checkpoint::open(dir.path());
    QVERIFY(ckpt);
    auto model = buildModel(*config, *ckpt);
    QVERIFY2(model, qPrintable(model ? QString() : model.message()));
    const qint64 resident = residentKiB(QFileInfo(file).canonicalFilePath());
    QVERIFY2(resident >= 0, "the checkpoint is not mapped");
    // 3 layers of 3.1 MB of matrices; the embeddings, norms and biases are under 100 KB.
    QVERIFY2(resident < fileKiB / 10, qPrintable(QStringLiteral("%1 KiB of the %2 KiB file resident").arg(resident).arg(fileKiB)));
    // And the numbers are still those of the stored weights (through the packed copy).
    auto out = (*model)->forward({1, 5, 9, 2}, {}, nullptr);
    QVERIFY(out);
    for (float v : out->finalHidden) QVERIFY(std::isfinite(v));
}

QTEST_APPLESS_MAIN(TestPackedGemm)
#include "tst_packed_gemm.moc"
