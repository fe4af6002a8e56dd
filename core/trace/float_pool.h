#pragma once

#include <cstddef>
#include <memory>

namespace attnscope::core {

// Recycles the large float blocks traces are made of. A trace is tens to hundreds of MB and a new
// one is made on every keystroke; fresh memory costs a page fault per 4 KiB (measured: 40% of a
// 512-token forward pass), recycled memory is already mapped. Thread-safe; keeps at most
// kMaxPooledBytes of idle blocks.
class FloatPool {
public:
    struct Release {
        size_t capacity = 0;
        void operator()(float* p) const;
    };
    using Block = std::unique_ptr<float[], Release>;

    static constexpr size_t kMaxPooledBytes = size_t(1) << 31;
    static constexpr size_t kMinPooledFloats = 16384;  // smaller blocks go straight to new/delete

    // A block of at least n floats (contents undefined).
    static Block acquire(size_t n);
    static size_t pooledBytes();
};

}  // namespace attnscope::core
