#include "trace/head_cache.h"

namespace attnscope::core {

std::shared_ptr<const HeadBlock> HeadCache::get(int layer, int head, const Build& build) {
    const Key key{layer, head};
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto it = m_recent.begin(); it != m_recent.end(); ++it)
            if (it->first == key) {
                m_recent.splice(m_recent.begin(), m_recent, it);
                return it->second;
            }
    }
    std::shared_ptr<const HeadBlock> block = build();
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& entry : m_recent)
        if (entry.first == key) return entry.second;  // another thread built it meanwhile
    m_recent.emplace_front(key, block);
    m_bytes += block->bytes();
    while (m_recent.size() > 2 && m_bytes > m_budget) {
        m_bytes -= m_recent.back().second->bytes();
        m_recent.pop_back();
    }
    return block;
}

size_t HeadCache::bytes() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_bytes;
}

}  // namespace attnscope::core
