#include "kernels/packed_memory.h"

#include <mutex>
#include <new>
#include <sys/mman.h>

namespace attnscope::core::kernels {
namespace {

constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kChunk = size_t(64) << 20;
constexpr size_t kAlign = 64;

size_t roundUp(size_t v, size_t to) { return (v + to - 1) / to * to; }

// One mapping of `size` bytes (a multiple of kHugePage) starting on a kHugePage boundary.
class Chunk {
public:
    explicit Chunk(size_t size) : m_size(size) {
        // Map a huge page more than needed, then unmap the ends outside the aligned range.
        const size_t mapped = size + kHugePage;
        void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        const auto start = reinterpret_cast<uintptr_t>(p), aligned = roundUp(start, kHugePage);
        if (aligned > start) munmap(p, aligned - start);
        const size_t tail = start + mapped - (aligned + size);
        if (tail > 0) munmap(reinterpret_cast<void*>(aligned + size), tail);
        m_base = reinterpret_cast<char*>(aligned);
        madvise(m_base, size, MADV_HUGEPAGE);  // a hint: without THP the chunk still works
    }
    ~Chunk() { munmap(m_base, m_size); }
    Chunk(const Chunk&) = delete;
    Chunk& operator=(const Chunk&) = delete;

    // A block of `bytes` (a multiple of kAlign) or null when the chunk is full.
    char* take(size_t bytes) {
        if (bytes > m_size - m_used) return nullptr;
        char* p = m_base + m_used;
        m_used += bytes;
        return p;
    }

private:
    char* m_base = nullptr;
    size_t m_size = 0;
    size_t m_used = 0;
};

}  // namespace

std::shared_ptr<void> allocatePacked(size_t bytes) {
    static std::mutex mutex;
    static std::weak_ptr<Chunk> current;  // where the next small block goes, while something uses it
    const size_t size = roundUp(std::max<size_t>(bytes, 1), kAlign);
    std::lock_guard<std::mutex> lock(mutex);
    std::shared_ptr<Chunk> chunk = current.lock();
    char* p = chunk ? chunk->take(size) : nullptr;
    if (!p) {
        chunk = std::make_shared<Chunk>(std::max(kChunk, roundUp(size, kHugePage)));
        p = chunk->take(size);
        current = chunk;
    }
    return std::shared_ptr<void>(chunk, p);  // keeps the chunk mapped while the block is used
}

}  // namespace attnscope::core::kernels
