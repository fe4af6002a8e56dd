#include "kernels/spread_rows.h"

#include "kernels/kernels.h"

#include <algorithm>
#include <atomic>

namespace attnscope::core::kernels {
namespace {

constexpr int kTileRows = 14;  // the tallest row tile (gemm_tile.h)
constexpr int kSets = 64;      // L1 sets of 64-byte lines

std::atomic<uint64_t>& copies() {
    static std::atomic<uint64_t> count{0};
    return count;
}

}  // namespace

bool inputRowsCollide(int64_t ld) {
    int inSet[kSets] = {};
    int most = 0;
    for (int r = 0; r < kTileRows; ++r) most = std::max(most, ++inSet[(r * ld * int64_t(sizeof(float))) >> 6 & (kSets - 1)]);
    return most > kTileRows / 2;
}

int64_t spreadStride(int k) {
    int64_t ld = (int64_t(k) + 15) / 16 * 16;
    while (inputRowsCollide(ld)) ld += 16;
    return ld;
}

int spreadSlab(int64_t ld, int rows) { return int(std::clamp<int64_t>(kSpreadValues / ld, 1, std::max(rows, 1))); }

void spreadRows(const float* x, int64_t ldx, int rows, int k, float* to, int64_t ld, bool parallel) {
    copies().fetch_add(1, std::memory_order_relaxed);
    auto copy = [&](int first, int end) {
        for (int r = first; r < end; ++r) std::copy_n(x + r * ldx, k, to + r * ld);
    };
    if (parallel) forRows(rows, k, copy);
    else copy(0, rows);
}

uint64_t inputsSpread() { return copies().load(std::memory_order_relaxed); }

}  // namespace attnscope::core::kernels
