#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace attnscope::core {

// One head's rebuilt matrices, each (n, n).
struct HeadBlock {
    std::vector<float> raw, scores, probs;
    size_t bytes() const { return (raw.size() + scores.size() + probs.size()) * sizeof(float); }
};

// The most recently used rebuilt heads of one trace, up to a byte budget (at least two heads, so a
// view comparing two never rebuilds in a loop). Thread-safe: views on the GUI thread and exports on
// workers share a trace. A head handed out stays alive while its holder keeps it, evicted or not.
class HeadCache {
public:
    explicit HeadCache(size_t budgetBytes) : m_budget(budgetBytes) {}

    using Build = std::function<std::shared_ptr<const HeadBlock>()>;
    // The cached head, or build() (outside the lock: two threads may build the same head once each).
    std::shared_ptr<const HeadBlock> get(int layer, int head, const Build& build);

    size_t bytes() const;

private:
    using Key = std::pair<int, int>;
    size_t m_budget;
    mutable std::mutex m_mutex;
    std::list<std::pair<Key, std::shared_ptr<const HeadBlock>>> m_recent;  // most recent first
    size_t m_bytes = 0;
};

}  // namespace attnscope::core
