#include "kernels/parallel_for.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace attnscope::core::kernels {
namespace {

// Helper threads waiting for parts of one job; never destroyed (they may be in use at exit).
// Jobs of a forward pass come back to back (tens of microseconds apart), and waking a sleeping
// thread costs about 50 us on a VM, so a helper spins for a while before it sleeps. Parts are
// claimed, not assigned: a helper that starts late (a VM descheduled it for milliseconds) finds its
// part already taken by the caller instead of making the caller wait for it.
class HelperPool {
public:
    static HelperPool& instance() {
        static HelperPool* pool = new HelperPool;
        return *pool;
    }

    std::mutex& busy() { return m_busy; }

    // Runs parts 0 .. parts-1 on the caller and helpers, each part once; the caller holds busy().
    void run(int parts, const std::function<void(int)>& fn) {
        while (int(m_threads.size()) < parts - 1) {
            const uint32_t current = jobOf(m_state.load(std::memory_order_acquire));
            m_threads.emplace_back([this, current] { loop(current); });
            m_threads.back().detach();
        }
        m_fn = &fn;
        m_failure = nullptr;
        m_remaining.store(parts, std::memory_order_relaxed);
        const uint32_t job = jobOf(m_state.load(std::memory_order_relaxed)) + 1;
        {
            std::lock_guard<std::mutex> lock(m_mutex);  // a sleeping helper sees it after waking
            m_state.store(state(job, parts, 1), std::memory_order_release);  // part 0 is the caller's
        }
        m_wake.notify_all();
        runPart(0);
        for (int part; claim(job, &part);) runPart(part);
        for (int spins = 0; m_remaining.load(std::memory_order_acquire) != 0; ++spins)
            if (spins > 1000) std::this_thread::yield();
        m_fn = nullptr;
        if (m_failure) std::rethrow_exception(m_failure);
    }

private:
    // m_state: the job number (32 bits), its part count (16) and the next unclaimed part (16).
    static uint64_t state(uint32_t job, int parts, int next) { return uint64_t(job) << 32 | uint64_t(parts) << 16 | uint64_t(next); }
    static uint32_t jobOf(uint64_t s) { return uint32_t(s >> 32); }

    // Takes the next part of job if one is left.
    bool claim(uint32_t job, int* part) {
        uint64_t s = m_state.load(std::memory_order_acquire);
        for (;;) {
            const int parts = int(s >> 16 & 0xFFFF), next = int(s & 0xFFFF);
            if (jobOf(s) != job || next >= parts) return false;
            if (m_state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                *part = next;
                return true;
            }
        }
    }

    // m_fn stays valid until the caller sees m_remaining at zero, after this part.
    void runPart(int part) {
        try {
            (*m_fn)(part);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_failure) m_failure = std::current_exception();
        }
        m_remaining.fetch_sub(1, std::memory_order_acq_rel);
    }

    void loop(uint32_t seen) {
        for (;;) {
            seen = waitForJob(seen);
            for (int part; claim(seen, &part);) runPart(part);
        }
    }

    // Returns the number of a job after seen.
    uint32_t waitForJob(uint32_t seen) {
        auto fresh = [&] { return jobOf(m_state.load(std::memory_order_acquire)) != seen; };
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
        for (int spins = 0; !fresh(); ++spins) {
            if (spins % 64 == 63 && std::chrono::steady_clock::now() > until) {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, fresh);
                break;
            }
            std::this_thread::yield();
        }
        return jobOf(m_state.load(std::memory_order_acquire));
    }

    std::mutex m_busy;  // one job at a time
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::thread> m_threads;
    const std::function<void(int)>* m_fn = nullptr;
    std::atomic<int> m_remaining{0};  // parts not yet finished
    std::atomic<uint64_t> m_state{0};
    std::exception_ptr m_failure;
};

}  // namespace

void parallelFor(int parts, const std::function<void(int)>& fn) {
    if (parts <= 1) {
        if (parts == 1) fn(0);
        return;
    }
    HelperPool& pool = HelperPool::instance();
    std::unique_lock<std::mutex> busy(pool.busy(), std::try_to_lock);
    if (!busy.owns_lock() || parts > 0xFFFF) {  // the part counter has 16 bits
        for (int p = 0; p < parts; ++p) fn(p);
        return;
    }
    pool.run(parts, fn);
}

}  // namespace attnscope::core::kernels
