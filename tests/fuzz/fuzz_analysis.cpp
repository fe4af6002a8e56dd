// The analyses' own input files: partial head statistics (heads --corpus ... --partial), parsed,
// merged with themselves and averaged, or refused with a message.
#include "analysis/head_stats.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto sums = attnscope::core::HeadStatsSums::fromJson(attnscope::fuzz::bytes(data, size), QStringLiteral("fuzz.json"));
    if (!sums) return 0;
    attnscope::core::HeadStatsSums twice = *sums;
    if (twice.merge(*sums)) (void)twice.mean();
    (void)sums->toJson();
    return 0;
}
