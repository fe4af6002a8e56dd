#pragma once

#include <cstddef>
#include <memory>

namespace attnscope::core::kernels {

// Memory for packed weights: 64-byte aligned blocks carved out of 64 MiB chunks mapped on 2 MiB
// boundaries and marked for transparent huge pages (the kernels stream hundreds of MB of weights at a
// few tokens; with 4 KiB pages the hardware prefetcher stops at every page and the TLB misses: bert-base
// at 8 tokens ran 9 or 17 ms from one run to the next, 9 ms with huge pages). A chunk is unmapped when
// the last block in it is released. Throws std::bad_alloc when the system refuses the memory.
std::shared_ptr<void> allocatePacked(size_t bytes);

}  // namespace attnscope::core::kernels
