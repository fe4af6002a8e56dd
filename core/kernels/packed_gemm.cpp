#include "kernels/packed_gemm.h"

#include "kernels/parallel_for.h"
#include "kernels/spread_rows.h"
#include "kernels/work_queues.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace attnscope::core::kernels {
namespace {

const TileKernels* kernelsFor(GemmPath path) {
    switch (path) {
        case GemmPath::Avx512:
            return __builtin_cpu_supports("avx512f") ? avx512TileKernels() : nullptr;
        case GemmPath::Avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? avx2TileKernels() : nullptr;
        case GemmPath::Blas:
            break;
    }
    return nullptr;
}

GemmPath initialPath() {
    if (const char* env = std::getenv("ATTNSCOPE_KERNELS")) {
        for (GemmPath p : {GemmPath::Blas, GemmPath::Avx2, GemmPath::Avx512})
            if (std::strcmp(env, gemmPathName(p)) == 0 && gemmPathRuns(p)) return p;
    }
    for (GemmPath p : {GemmPath::Avx512, GemmPath::Avx2})
        if (gemmPathRuns(p)) return p;
    return GemmPath::Blas;
}

std::atomic<GemmPath>& currentPath() {
    static std::atomic<GemmPath> path{initialPath()};
    return path;
}

// Inputs per pass over a panel: a 1024 x 32 block of it (128 KiB in float32) stays in L2 while every
// row tile of the part multiplies it (BERT's and GPT-2's 768 inputs in one pass: no partial sums
// stored and reloaded; 256-input blocks that fit L1 measured 3-8% slower on whole forwards).
constexpr int kInnerBlock = 1024;

// Rows per tile for an input of n rows. Up to kLongInput rows, the tallest tiles: the AVX-512
// kernel's 14 rows (10 tiles at 128 rows, not 11 of 12) ran the four weight products of BERT-base's
// layers 4% faster at 64 rows, 1% at 128, 1.2-1.6% at 197, 1.6-1.9% at 256, and whole forward
// passes 0.3-2.6% faster (A/B alternating rep by rep in one process, two cores); at 384 and 512
// rows, where the input no longer stays in L2, they ran 0.4-1.5% slower than 12-row tiles.
int tileHeight(const TileKernels& kern, int n) { return n <= kLongInput ? kern.maxRows : kern.longRows; }

// Below this many multiply-adds a product runs on the calling thread (waking a helper costs more).
constexpr int64_t kMinParallelMacs = int64_t(1) << 17;

// A 64-byte-aligned run of `count` floats at the start of `buffer` (grown as needed).
float* alignedIn(std::vector<float>& buffer, size_t count) {
    if (buffer.size() < count + 16) buffer.resize(count + 16);
    return buffer.data() + (16 - (reinterpret_cast<uintptr_t>(buffer.data()) / sizeof(float)) % 16) % 16;
}

// One panel (kPanelWidth output columns) times row tiles [t0, t1) of x's n rows (split into `tiles`
// near-equal tiles), kInnerBlock inputs at a time: the panel's block stays in L2 for all the tiles,
// which add into c after the first block. Bias with the first block, act after the last.
struct PanelJob {
    TileFn fn = nullptr;
    const char* b = nullptr;  // the panel from its first input used
    size_t inputBytes = 0;    // one input's row of the panel
    int k = 0;
    const float* a = nullptr;  // (n, lda)
    int64_t lda = 0;
    int n = 0, tiles = 0, t0 = 0, t1 = 0;
    float* c = nullptr;  // (n, ldc) from the panel's first column
    int64_t ldc = 0;
    float* residual = nullptr;  // (n, ldc) from the same column, += c's final values; or null
    int width = 0;
    const float* bias = nullptr;
    const Activation* act = nullptr;
    TileActivation fused = TileActivation::None;  // act when the tiles apply it as they store
    const char* next = nullptr;  // the panel this part multiplies after this one (its first input used), or null
    // Causal attention (productHere): Keys skips the tiles whose rows all end before firstColumn;
    // Values stops each tile's inputs after its last row.
    enum class Causal { No, Keys, Values } causal = Causal::No;
    int firstColumn = 0;
    int firstRow = 0;  // the query index of row 0 (a slab of the rows)
};

// The activation the tiles apply as they store, or None (then applied after them, when j.act).
TileActivation fusedActivation(const Activation* act) {
    if (!act) return TileActivation::None;
    switch (*act) {
        case Activation::GeluErf: return TileActivation::GeluErf;
        case Activation::GeluTanh: return TileActivation::GeluTanh;
        case Activation::Relu: return TileActivation::Relu;
        case Activation::Silu: break;
    }
    return TileActivation::None;
}

// Tile t's inputs [kb, kb + kInnerBlock) of the panel. `nextLines` lines from `next` are shared
// among the panel's tiles; stream: its block comes from memory.
void multiplyTile(const PanelJob& j, int kb, int t, const char* next, int nextLines, bool stream) {
    const TileActivation fused = j.fused;
    const bool lastBlock = kb + kInnerBlock >= j.k;
    const int r0 = int(int64_t(t) * j.n / j.tiles), r1 = int(int64_t(t + 1) * j.n / j.tiles);
    if (j.causal == PanelJob::Causal::Keys && j.firstColumn >= j.firstRow + r1) return;  // every key after every row
    const int inputs = j.causal == PanelJob::Causal::Values ? std::min(j.k, j.firstRow + r1) : j.k;
    if (kb >= inputs) return;  // the rest are zeros
    TileArgs args;
    args.b = j.b + size_t(kb) * j.inputBytes;
    args.a = j.a + r0 * j.lda + kb;
    args.lda = j.lda;
    args.bias = kb == 0 ? j.bias : nullptr;
    args.c = j.c + r0 * j.ldc;
    args.ldc = j.ldc;
    args.k = std::min(kInnerBlock, inputs - kb);
    args.m = r1 - r0;
    args.width = j.width;
    args.accumulate = kb > 0;
    args.stream = stream;
    const int count = std::max(1, j.t1 - j.t0);
    const int l0 = nextLines * (t - j.t0) / count, l1 = nextLines * (t - j.t0 + 1) / count;
    args.next = next ? next + size_t(l0) * 64 : nullptr;
    args.nextLines = l1 - l0;
    args.activation = lastBlock ? fused : TileActivation::None;
    const bool separate = j.act && fused == TileActivation::None && lastBlock;  // SiLU: a pass after
    args.residual = lastBlock && j.residual && !separate ? j.residual + r0 * j.ldc : nullptr;
    j.fn(args);
    if (separate)  // while the tile is in L1
        for (int r = 0; r < args.m; ++r) {
            activate(*j.act, args.c + r * args.ldc, j.width);
            if (j.residual)
                for (int col = 0; col < j.width; ++col) j.residual[(r0 + r) * j.ldc + col] += args.c[r * args.ldc + col];
        }
}

// The panel's row tiles [t0, t1), kInnerBlock inputs at a time. With a claim (panel `claimed`), the
// last block's tiles are taken one by one, so another part may take the last ones.
void multiplyPanel(const PanelJob& j, TileClaim* claim = nullptr, int claimed = 0) {
    if (claim && j.k > kInnerBlock) claim->pending(claimed);
    for (int kb = 0; kb < j.k; kb += kInnerBlock) {
        // The block multiplied after this one (the panel's next, or the next panel's first), its
        // lines shared among this block's tiles.
        const bool lastBlock = kb + kInnerBlock >= j.k;
        const char* next = lastBlock ? j.next : j.b + size_t(kb + kInnerBlock) * j.inputBytes;
        const int nextInputs = lastBlock ? std::min(kInnerBlock, j.k) : std::min(kInnerBlock, j.k - kb - kInnerBlock);
        const int nextLines = next ? int(size_t(nextInputs) * j.inputBytes / 64) : 0;
        const bool claiming = claim && lastBlock;
        if (claiming) claim->open(claimed, j.t0, j.t1);
        for (int t = j.t0; t < j.t1; ++t) {
            if (claiming && !claim->takeFront()) break;  // the rest were taken
            multiplyTile(j, kb, t, next, nextLines, t == j.t0);
        }
    }
}

std::atomic<uint64_t>& handedOver() {
    static std::atomic<uint64_t> count{0};
    return count;
}

}  // namespace

uint64_t tilesHandedOver() { return handedOver().load(std::memory_order_relaxed); }

bool gemmPathRuns(GemmPath path) { return path == GemmPath::Blas || kernelsFor(path) != nullptr; }

GemmPath gemmPath() { return currentPath().load(std::memory_order_relaxed); }

bool setGemmPath(GemmPath path) {
    if (!gemmPathRuns(path)) return false;
    currentPath().store(path, std::memory_order_relaxed);
    return true;
}

const char* gemmPathName(GemmPath path) {
    switch (path) {
        case GemmPath::Avx512: return "avx512";
        case GemmPath::Avx2: return "avx2";
        case GemmPath::Blas: break;
    }
    return "blas";
}

namespace {

// packedProduct on inputs whose rows do not collide in L1.
void productRows(const PackedLinear& w, int k0, int k, const float* x, int64_t ldx, int n, const PackedOutput* outputs,
                 const Activation* act, bool withBias) {
    const TileKernels* kern = kernelsFor(gemmPath());
    if (!kern) kern = kernelsFor(GemmPath::Avx2);  // packed weights on a BLAS path: should not happen
    if (!kern || n <= 0) return;
    const TileFn fn = w.type() == WeightType::F32 ? kern->f32 : w.type() == WeightType::BF16 ? kern->bf16 : kern->f16;
    // Row tiles of near-equal size (16 rows on AVX-512: 8 + 8, not 14 + 2).
    const int height = tileHeight(*kern, n);
    const int tiles = (n + height - 1) / height;
    const int panels = w.panels();
    const int64_t items = int64_t(panels) * tiles;  // panel-major: a part walks its panels, each over all its rows
    const int64_t macs = int64_t(n) * k * panels * kPanelWidth;
    const int parts = int(std::clamp<int64_t>(std::min<int64_t>(threads(), macs / kMinParallelMacs), 1, items));
    const TileActivation fused = fusedActivation(act);
    // Panel p's job for its row tiles [t0, t1), fetching `next` (the panel this part takes after it)
    // on the way.
    auto panelJob = [&](int p, int t0, int t1, const char* next) {
        const PackedLinear::Panel& panel = w.panel(p);
        const PackedOutput& out = outputs[panel.segment];
        PanelJob job;
        job.fn = fn;
        job.b = static_cast<const char*>(w.panelData(p, k0));
        job.inputBytes = kPanelWidth * (w.type() == WeightType::F32 ? sizeof(float) : sizeof(uint16_t));
        job.k = k;
        job.a = x;
        job.lda = ldx;
        job.n = n;
        job.tiles = tiles;
        job.t0 = t0;
        job.t1 = t1;
        job.c = out.y + panel.column;
        job.ldc = out.ldy;
        job.residual = out.residual ? out.residual + panel.column : nullptr;
        job.width = panel.width;
        job.bias = withBias ? w.bias(p) : nullptr;
        job.act = act;
        job.fused = fused;
        job.next = next;
        return job;
    };
    // Each part a fixed run of (panel, row tile) items: contiguous weights to stream and columns to
    // write. A part takes its panels from the front; one done early takes the others' from the back,
    // then the last tiles of the panels they are still multiplying (work_queues.h).
    auto first = [&](int part) { return items * part / parts; };  // part's items [first(part), first(part + 1))
    std::vector<PanelQueue> queues(static_cast<size_t>(parts));
    for (int part = 0; part < parts; ++part) {
        const int64_t begin = first(part), end = first(part + 1);
        queues[size_t(part)].reset(int(begin / tiles), begin < end ? int((end - 1) / tiles) + 1 : int(begin / tiles));
    }
    // Only a queue's last two panels are claimed tile by tile: a claim is a locked instruction, which
    // waits for the tile's stores to drain; claimed on every panel, BERT-base and ViT-B/16 forward
    // passes ran 3% slower. Handing over tiles cut the time cores wait for each other at the ends of
    // products from 3.3-3.8 to 1.6-1.9 ms per BERT-base 128-token pass (two cores); whole passes ran
    // 0.2-1.2% faster (BERT-base 128, ViT-B/16; A/B alternating rep by rep in one process).
    const bool shareTiles = parts > 1 && panels < TileClaim::kMaxPanels && tiles < TileClaim::kMaxTiles;
    std::vector<TileClaim> claims(shareTiles ? size_t(parts) : 0);
    // Panel p's row tiles within part's items.
    auto tilesOf = [&](int part, int p, int* t0, int* t1) {
        *t0 = int(std::max<int64_t>(first(part) - int64_t(p) * tiles, 0));
        *t1 = int(std::min<int64_t>(first(part + 1) - int64_t(p) * tiles, tiles));
    };
    const int lastBlock = (k - 1) / kInnerBlock * kInnerBlock;
    parallelFor(parts, [&](int part) {
        TileClaim* mine = shareTiles ? &claims[size_t(part)] : nullptr;
        int t0 = 0, t1 = 0;
        for (int p; (p = queues[size_t(part)].takeFront()) >= 0;) {
            tilesOf(part, p, &t0, &t1);
            const bool more = t1 == tiles && queues[size_t(part)].has(p + 1);
            multiplyPanel(panelJob(p, t0, t1, more ? static_cast<const char*>(w.panelData(p + 1, k0)) : nullptr),
                          queues[size_t(part)].size() <= 1 ? mine : nullptr, p);
        }
        for (int other = (part + 1) % parts; other != part; other = (other + 1) % parts)
            for (int p; (p = queues[size_t(other)].takeBack()) >= 0;) {
                tilesOf(other, p, &t0, &t1);
                multiplyPanel(panelJob(p, t0, t1, nullptr), queues[size_t(other)].size() <= 1 ? mine : nullptr, p);
            }
        if (!shareTiles) return;
        // Then the open tiles of the others' last blocks, from the back, until every other part is
        // past its last claimed panel (one still in a panel's earlier blocks is visited again).
        for (int pass = 0;; ++pass) {
            bool later = false;
            for (int other = (part + 1) % parts; other != part; other = (other + 1) % parts) {
                int p = 0, t = 0;
                TileClaim::Take take;
                while ((take = claims[size_t(other)].takeBack(&p, &t)) == TileClaim::Take::Tile) {
                    multiplyTile(panelJob(p, t, t + 1, nullptr), lastBlock, t, nullptr, 0, true);
                    handedOver().fetch_add(1, std::memory_order_relaxed);
                }
                later = later || take == TileClaim::Take::Later;
            }
            if (!later) break;
            if (pass >= 64) std::this_thread::yield();  // a long wait: a descheduled owner
        }
    });
}

}  // namespace

// Inputs whose rows collide in L1 (spread_rows.h) are multiplied from a spread copy, a slab of rows
// at a time, kept by the calling thread for its next product (at most kSpreadValues floats).
void packedProduct(const PackedLinear& w, int k0, int k, const float* x, int64_t ldx, int n, const PackedOutput* outputs,
                   const Activation* act, bool withBias) {
    if (n < 2 || !inputRowsCollide(ldx)) return productRows(w, k0, k, x, ldx, n, outputs, act, withBias);
    const int64_t ld = spreadStride(k);
    const int slab = spreadSlab(ld, n);
    thread_local std::vector<float> buffer;
    float* spread = alignedIn(buffer, size_t(slab) * size_t(ld));  // (slab, ld)
    std::vector<PackedOutput> outs(size_t(w.segments()));
    for (int r0 = 0; r0 < n; r0 += slab) {
        const int rows = std::min(slab, n - r0);
        spreadRows(x + r0 * ldx, ldx, rows, k, spread, ld, true);
        for (size_t s = 0; s < outs.size(); ++s) {
            const PackedOutput& o = outputs[s];
            outs[s] = {o.y + r0 * o.ldy, o.ldy, o.residual ? o.residual + r0 * o.ldy : nullptr};
        }
        productRows(w, k0, k, spread, ld, rows, outs.data(), act, withBias);
    }
}

void productHere(const float* a, int64_t lda, int m, int k, const float* b, int64_t ldb, bool bIsKByN, int n, float* c,
                 int64_t ldc, std::vector<float>& scratch, bool causal) {
    const TileKernels* kern = kernelsFor(gemmPath());
    if (!kern || ldb > INT32_MAX) {
        if (bIsKByN) return gemmABHere(m, n, k, a, int(lda), b, int(ldb), c, int(ldc));
        return gemmABtHere(m, n, k, a, int(lda), b, int(ldb), c, int(ldc));
    }
    // B as a layer: Conv1D storage (in = k, out = n) or nn.Linear's (out = n, in = k).
    Linear view;
    view.w = b;
    view.in = k;
    view.out = n;
    view.ldw = int(ldb);
    view.inByOut = bIsKByN;
    const int panels = (n + kPanelWidth - 1) / kPanelWidth;
    // a's rows copied a slab at a time when they collide in L1 (spread_rows.h).
    const bool spread = m > 1 && inputRowsCollide(lda);
    const int64_t ld = spread ? spreadStride(k) : lda;
    const int slab = spread ? spreadSlab(ld, m) : m;
    const size_t panelValues = size_t(panels) * size_t(k) * kPanelWidth;  // a multiple of 16: rows stay aligned
    float* packed = alignedIn(scratch, panelValues + (spread ? size_t(slab) * size_t(ld) : 0));  // (panels, k, kPanelWidth)
    float* rows = packed + panelValues;  // (slab, ld) when spread
    packFloatPanels(view, packed);
    PanelJob job;
    job.fn = kern->f32;
    job.inputBytes = kPanelWidth * sizeof(float);
    job.k = k;
    job.lda = ld;
    job.ldc = ldc;
    if (causal) job.causal = bIsKByN ? PanelJob::Causal::Values : PanelJob::Causal::Keys;
    for (int r0 = 0; r0 < m; r0 += slab) {
        const int count = std::min(slab, m - r0);
        if (spread) spreadRows(a + r0 * lda, lda, count, k, rows, ld, false);
        job.a = spread ? rows : a + r0 * lda;
        job.n = count;
        const int height = tileHeight(*kern, count);
        job.tiles = job.t1 = (count + height - 1) / height;
        job.firstRow = r0;
        for (int p = 0; p < panels; ++p) {
            job.firstColumn = p * kPanelWidth;
            job.b = reinterpret_cast<const char*>(packed + size_t(p) * size_t(k) * kPanelWidth);
            job.c = c + r0 * ldc + p * kPanelWidth;
            job.width = std::min(kPanelWidth, n - p * kPanelWidth);
            multiplyPanel(job);
        }
    }
}

}  // namespace attnscope::core::kernels
