// How a packed product's parts share their work (kernels/work_queues.h): the tile claim's two ends
// on one thread, a thread waiting for a claim to open, and whole products on two threads whose last
// row tiles one core multiplies for the other, every value the same as on one thread.
#include "kernel_test_support.h"
#include "kernels/kernels.h"
#include "kernels/packed_gemm.h"
#include "kernels/parallel_for.h"
#include "kernels/work_queues.h"
#include "stored_layer.h"

#include <QTest>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

using namespace attnscope::core;
using namespace attnscope::core::kernels;
using namespace attnscope::test;

class TestWorkSharing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() {
        setGemmPath(m_initial);
        setThreads(0);
    }
    void claimEnds();
    void claimOpensForWaitingThread();
    void panelQueueEnds();
    void handedOverTiles_data();
    void handedOverTiles();

private:
    GemmPath m_initial = gemmPath();
};

// The owner takes from the front, others from the back, until the ends meet; nothing is taken twice.
void TestWorkSharing::claimEnds() {
    TileClaim claim;
    int panel = -1, tile = -1;
    QVERIFY(!claim.takeFront());  // never opened
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::None);
    claim.open(5, 2, 7);  // tiles 2 .. 6 of panel 5
    QVERIFY(claim.takeFront());  // 2
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::Tile);
    QCOMPARE(panel, 5);
    QCOMPARE(tile, 6);
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::Tile);
    QCOMPARE(tile, 5);
    QVERIFY(claim.takeFront());  // 3
    QVERIFY(claim.takeFront());  // 4
    QVERIFY(!claim.takeFront());
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::None);
    // The largest panel and tile indices the word holds.
    claim.open(TileClaim::kMaxPanels - 1, TileClaim::kMaxTiles - 2, TileClaim::kMaxTiles - 1);
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::Tile);
    QCOMPARE(panel, TileClaim::kMaxPanels - 1);
    QCOMPARE(tile, TileClaim::kMaxTiles - 2);
    QVERIFY(!claim.takeFront());
}

// While the owner runs a panel's earlier blocks, another part is told to come back later, until the
// last block opens.
void TestWorkSharing::claimOpensForWaitingThread() {
    TileClaim claim;
    claim.pending(9);
    int panel = -1, tile = -1;
    QCOMPARE(claim.takeBack(&panel, &tile), TileClaim::Take::Later);
    std::thread owner([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        claim.open(9, 0, 3);
    });
    TileClaim::Take take;
    int waits = 0;
    while ((take = claim.takeBack(&panel, &tile)) == TileClaim::Take::Later) {
        ++waits;
        std::this_thread::yield();
    }
    owner.join();
    QCOMPARE(take, TileClaim::Take::Tile);
    QVERIFY(waits > 0);
    QCOMPARE(panel, 9);
    QCOMPARE(tile, 2);
}

void TestWorkSharing::panelQueueEnds() {
    PanelQueue queue;
    QCOMPARE(queue.size(), 0);
    QCOMPARE(queue.takeFront(), -1);
    queue.reset(3, 7);
    QCOMPARE(queue.size(), 4);
    QVERIFY(queue.has(3) && queue.has(6) && !queue.has(7));
    QCOMPARE(queue.takeFront(), 3);
    QCOMPARE(queue.takeBack(), 6);
    QCOMPARE(queue.takeBack(), 5);
    QCOMPARE(queue.size(), 1);
    QCOMPARE(queue.takeFront(), 4);
    QCOMPARE(queue.takeBack(), -1);
    QCOMPARE(queue.size(), 0);
}

void TestWorkSharing::handedOverTiles_data() {
    QTest::addColumn<int>("path");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("residual");
    QTest::addColumn<int>("threads");
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2}) {
        const QString name = QString::fromLatin1(gemmPathName(p));
        auto row = [&](const char* what, int n, int in, WeightType t, bool residual, int threads) {
            QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what)))
                << int(p) << n << in << int(t) << residual << threads;
        };
        row("one block, 130 rows, gelu", 130, 700, WeightType::F32, false, 2);
        row("three blocks (the last one shared), 100 rows, gelu", 100, 2500, WeightType::F32, false, 2);
        row("bf16, two blocks, residual", 90, 1500, WeightType::BF16, true, 2);
        row("three parts, two blocks, gelu", 120, 1200, WeightType::F32, false, 3);
    }
}

// The same product on one thread and, many times, on two or three: every value identical (a tile multiplied
// by the other core adds the same values in the same order), and tiles were handed over.
void TestWorkSharing::handedOverTiles() {
    QFETCH(int, path);
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, type);
    QFETCH(bool, residual);
    QFETCH(int, threads);
    if (!usePath(path)) return;
    const int out = 8 * kPanelWidth;
    StoredLayer s(in, out, false, WeightType(type), true, uint32_t(n + in));
    Linear layer = s.layer;
    layer.packed = PackedLinear::pack({&s.layer});
    const auto x = input(n, in, 11);
    const auto start = input(n, out, 12);  // the residual stream before the product
    auto run = [&](std::vector<float>* y, std::vector<float>* stream) {
        y->assign(size_t(n) * size_t(out), std::nanf(""));
        *stream = start;
        if (residual)
            linearResidual(layer, x.data(), n, y->data(), stream->data());
        else
            linearActivated(layer, Activation::GeluErf, x.data(), n, y->data());
    };
    setThreads(1);
    std::vector<float> y1, stream1;
    run(&y1, &stream1);
    setThreads(threads);
    const uint64_t before = tilesHandedOver();
    std::vector<float> y2, stream2;
    int runs = 0;
    for (; runs < 20 || (tilesHandedOver() == before && runs < 2000); ++runs) {
        run(&y2, &stream2);
        QVERIFY2(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)) == 0, qPrintable(QStringLiteral("run %1").arg(runs)));
        QVERIFY(std::memcmp(stream1.data(), stream2.data(), stream1.size() * sizeof(float)) == 0);
    }
    QVERIFY2(tilesHandedOver() > before, qPrintable(QStringLiteral("no tile handed over in %1 runs").arg(runs)));
}

QTEST_GUILESS_MAIN(TestWorkSharing)
#include "tst_work_sharing.moc"
