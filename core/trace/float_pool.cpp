#include "trace/float_pool.h"

#include <map>
#include <mutex>

namespace attnscope::core {
namespace {

struct Pool {
    std::mutex mutex;
    std::multimap<size_t, float*> idle;  // capacity -> block
    size_t bytes = 0;
};

Pool& pool() {
    static Pool* p = new Pool;  // never destroyed: blocks may be released during exit
    return *p;
}

}  // namespace

FloatPool::Block FloatPool::acquire(size_t n) {
    if (n >= kMinPooledFloats) {
        Pool& p = pool();
        std::lock_guard<std::mutex> lock(p.mutex);
        // Smallest idle block that fits without wasting more than half of it.
        auto it = p.idle.lower_bound(n);
        if (it != p.idle.end() && it->first <= 2 * n) {
            Block block(it->second, Release{it->first});
            p.bytes -= it->first * sizeof(float);
            p.idle.erase(it);
            return block;
        }
    }
    return Block(n ? new float[n] : nullptr, Release{n});
}

void FloatPool::Release::operator()(float* ptr) const {
    if (!ptr) return;
    if (capacity >= kMinPooledFloats) {
        Pool& p = pool();
        std::lock_guard<std::mutex> lock(p.mutex);
        const size_t bytes = capacity * sizeof(float);
        while (p.bytes + bytes > kMaxPooledBytes && !p.idle.empty()) {  // drop the largest idle blocks
            auto last = std::prev(p.idle.end());
            p.bytes -= last->first * sizeof(float);
            delete[] last->second;
            p.idle.erase(last);
        }
        if (p.bytes + bytes <= kMaxPooledBytes) {
            p.idle.emplace(capacity, ptr);
            p.bytes += bytes;
            return;
        }
    }
    delete[] ptr;
}

size_t FloatPool::pooledBytes() {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    return p.bytes;
}

}  // namespace attnscope::core
