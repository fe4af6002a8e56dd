#include "kernels/parallel_for.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace attnscope::core::kernels {
namespace {

// Helper threads waiting for parts of one job; never destroyed (they may be in use at exit).
// Jobs of a forward pass come back to back (tens of microseconds apart), and waking a sleeping
// thread costs about 50 us on a VM, so a helper spins for a while before it sleeps.
class HelperPool {
public:
    static HelperPool& instance() {
        static HelperPool* pool = new HelperPool;
        return *pool;
    }

    std::mutex& busy() { return m_busy; }

    // Runs parts 1 .. parts-1 on helpers and part 0 here; the caller holds busy().
    void run(int parts, const std::function<void(int)>& fn) {
        while (int(m_threads.size()) < parts - 1) {
            const int index = int(m_threads.size()) + 1;
            const unsigned long current = m_generation.load(std::memory_order_acquire);
            m_threads.emplace_back([this, index, current] { loop(index, current); });
            m_threads.back().detach();
        }
        m_fn = &fn;
        m_parts = parts;
        m_failure = nullptr;
        m_pending.store(parts - 1, std::memory_order_relaxed);
        {
            std::lock_guard<std::mutex> lock(m_mutex);  // a sleeping helper sees it after waking
            m_generation.fetch_add(1, std::memory_order_release);
        }
        m_wake.notify_all();
        std::exception_ptr mine;
        try {
            fn(0);
        } catch (...) {
            mine = std::current_exception();
        }
        for (int spins = 0; m_pending.load(std::memory_order_acquire) != 0; ++spins)
            if (spins > 1000) std::this_thread::yield();
        m_fn = nullptr;
        if (mine) std::rethrow_exception(mine);
        if (m_failure) std::rethrow_exception(m_failure);
    }

private:
    void loop(int index, unsigned long seen) {
        for (;;) {
            waitForJob(seen);
            seen = m_generation.load(std::memory_order_acquire);
            if (index >= m_parts) continue;
            try {
                (*m_fn)(index);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m_mutex);
                if (!m_failure) m_failure = std::current_exception();
            }
            m_pending.fetch_sub(1, std::memory_order_acq_rel);
        }
    }

    void waitForJob(unsigned long seen) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
        for (int spins = 0; m_generation.load(std::memory_order_acquire) == seen; ++spins) {
            if (spins % 64 == 63 && std::chrono::steady_clock::now() > until) {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [&] { return m_generation.load(std::memory_order_acquire) != seen; });
                return;
            }
            std::this_thread::yield();
        }
    }

    std::mutex m_busy;  // one job at a time
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::thread> m_threads;
    const std::function<void(int)>* m_fn = nullptr;
    int m_parts = 0;
    std::atomic<int> m_pending{0};
    std::atomic<unsigned long> m_generation{0};
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
    if (!busy.owns_lock()) {
        for (int p = 0; p < parts; ++p) fn(p);
        return;
    }
    pool.run(parts, fn);
}

}  // namespace attnscope::core::kernels
