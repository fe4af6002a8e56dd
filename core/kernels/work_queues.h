#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

// The lock-free counters a packed product's parts share its work through (packed_gemm.cpp): whole
// panels first, then the row tiles of the panels still being multiplied.
namespace attnscope::core::kernels {

// One part's panels [front, back), taken one at a time from either end (a CAS on both in one word).
class alignas(64) PanelQueue {
public:
    void reset(int front, int back) { m_bounds.store(pack(front, back), std::memory_order_relaxed); }
    int takeFront() { return take(true); }
    int takeBack() { return take(false); }
    int size() const {
        const uint64_t v = m_bounds.load(std::memory_order_relaxed);
        return std::max(0, int(uint32_t(v)) - int(v >> 32));
    }
    // Whether panel p is still queued (for the fetch ahead; may change at once).
    bool has(int p) const {
        const uint64_t v = m_bounds.load(std::memory_order_relaxed);
        return p >= int(v >> 32) && p < int(uint32_t(v));
    }

private:
    static uint64_t pack(int front, int back) { return uint64_t(uint32_t(front)) << 32 | uint32_t(back); }
    int take(bool front) {
        uint64_t v = m_bounds.load(std::memory_order_relaxed);
        for (;;) {
            const int f = int(v >> 32), b = int(uint32_t(v));
            if (f >= b) return -1;
            if (m_bounds.compare_exchange_weak(v, front ? pack(f + 1, b) : pack(f, b - 1), std::memory_order_acq_rel))
                return front ? f : b - 1;
        }
    }
    std::atomic<uint64_t> m_bounds{0};
};

// The row tiles [front, back) of the panel a part is multiplying, open to the other parts once it
// reaches the panel's last block of inputs (the earlier blocks' partial sums are then in place):
// the part takes them from the front, a part with nothing left from the back, so a product ends
// within a tile on every part instead of within a panel. One word: pending (the earlier blocks
// still running), the panel (23 bits), front and back (20 bits each).
class alignas(64) TileClaim {
public:
    static constexpr int kMaxPanels = 1 << 23;
    static constexpr int kMaxTiles = 1 << 20;

    // The owner, starting panel p: tiles stay closed until open().
    void pending(int p) { m_word.store(kPending | pack(p, 0, 0), std::memory_order_release); }
    // The owner, at panel p's last block: its tiles [front, back) may be taken (the release publishes
    // the earlier blocks' sums to whoever takes one).
    void open(int p, int front, int back) { m_word.store(pack(p, front, back), std::memory_order_release); }
    // The owner: whether the next tile from the front is still its own.
    bool takeFront() {
        uint64_t v = m_word.load(std::memory_order_relaxed);
        while (front(v) < back(v))
            if (m_word.compare_exchange_weak(v, v + (uint64_t(1) << 20), std::memory_order_acq_rel, std::memory_order_relaxed)) return true;
        return false;
    }
    enum class Take { Tile, Later, None };
    // Another part: the last open tile (its panel and tile); Later while the owner runs a panel's
    // earlier blocks (its last block may open), None once no tile is left to take.
    Take takeBack(int* panel, int* tile) {
        uint64_t v = m_word.load(std::memory_order_acquire);
        while (!(v & kPending) && front(v) < back(v)) {
            if (m_word.compare_exchange_weak(v, v - 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                *panel = int(v >> 40 & (kMaxPanels - 1));
                *tile = back(v) - 1;
                return Take::Tile;
            }
        }
        return v & kPending ? Take::Later : Take::None;
    }

private:
    static constexpr uint64_t kPending = uint64_t(1) << 63;
    static uint64_t pack(int p, int front, int back) { return uint64_t(p) << 40 | uint64_t(front) << 20 | uint64_t(back); }
    static int front(uint64_t v) { return int(v >> 20 & (kMaxTiles - 1)); }
    static int back(uint64_t v) { return int(v & (kMaxTiles - 1)); }
    std::atomic<uint64_t> m_word{0};
};

}  // namespace attnscope::core::kernels
