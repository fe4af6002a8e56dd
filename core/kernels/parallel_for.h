#pragma once

#include <functional>

namespace attnscope::core::kernels {

// Runs fn(0), ..., fn(parts - 1) at once, each exactly once: part 0 on the calling thread, the
// others on persistent helper threads (started on first use) or on the caller when it is free before
// a helper has taken them (so one part may not assume another runs beside it). Returns when all have finished; rethrows the first
// exception. If another parallelFor is running (another analysis thread), runs the parts one after
// another on the caller instead of waiting. fn(p) must only write its own part's outputs.
void parallelFor(int parts, const std::function<void(int part)>& fn);

}  // namespace attnscope::core::kernels
