// A trace file (docs/trace-format.md) through the same path as File > Open Trace and --trace: the
// header, the metadata, every tensor's shape and every attention row checked; then, when it opens,
// every head read as the views read it, whose rows must be what the check let through.
#include "fuzz_common.h"
#include "trace/trace_file.h"

#include <cmath>
#include <cstdio>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    const int fd = attnscope::fuzz::memoryFile(data, size, "fuzz.safetensors");
    if (fd < 0) return 0;
    auto opened = openTraceFile(attnscope::fuzz::fdPath(fd));
    if (opened) {
        const AttentionTrace& t = *opened->trace;
        const int n = t.tokens();
        if (n != opened->info.tokensCount() || t.layers() < 1 || t.heads() < 1) __builtin_trap();
        const float tol = 0.05f * std::max(1.0f, float(n) / 4096.0f);
        for (int l = 0; l < t.layers(); ++l)
            for (int h = 0; h < t.heads(); ++h) {
                const HeadMatrices m = t.head(l, h);
                if (!m.probs()) __builtin_trap();
                for (int a = 0; a < n; ++a) {
                    double sum = 0;
                    for (int b = 0; b < n; ++b) sum += m.prob(a, b);
                    if (!(std::abs(sum - 1.0) <= tol)) __builtin_trap();
                }
                const std::vector<float> row = t.probsRow(l, h, n - 1), column = t.probsColumn(l, h, 0);
                if (int(row.size()) != n || int(column.size()) != n) __builtin_trap();
                if (t.hasV()) (void)t.vRow(l, h, n - 1)[t.headDim() - 1];
                (void)t.sinkShare(l, h);
            }
        (void)t.meanOfHeads(0);
    }
    close(fd);
    return 0;
}
