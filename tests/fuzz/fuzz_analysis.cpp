// The analyses' own inputs: partial head statistics (heads --corpus ... --partial), parsed,
// merged with themselves and averaged, or refused with a message; head lists (--ablate L:H,...),
// parsed and written back to the same list; two token lists aligned for Compare. The first byte
// picks which.
#include "analysis/compare.h"
#include "analysis/head_stats.h"
#include "fuzz_common.h"
#include "trace/ablation_sink.h"

#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    if (size == 0) return 0;
    const QByteArray rest = attnscope::fuzz::bytes(data + 1, size - 1);
    switch (data[0] % 3) {
        case 0: {
            auto sums = HeadStatsSums::fromJson(rest, QStringLiteral("fuzz.json"));
            if (!sums) return 0;
            HeadStatsSums twice = *sums;
            if (twice.merge(*sums)) (void)twice.mean();
            (void)sums->toJson();
            return 0;
        }
        case 1: {
            auto refs = parseHeadRefs(QString::fromUtf8(rest), 48, 64);
            if (!refs) return 0;
            auto again = parseHeadRefs(headRefsText(*refs), 48, 64);
            if (!again || !(*again == *refs)) std::abort();  // the written list reads back the same
            return 0;
        }
        default: {
            const QStringList halves = QString::fromUtf8(rest).split(QLatin1Char('|'));
            const QStringList a = halves.value(0).split(QLatin1Char(' ')).mid(0, 256);
            const QStringList b = halves.value(1).split(QLatin1Char(' ')).mid(0, 256);
            const TokenAlignment al = alignTokens(a, b);
            // Every token of each side appears once, in order.
            int na = 0, nb = 0;
            for (int r = 0; r < al.size(); ++r) {
                if (al.a[size_t(r)] >= 0 && al.a[size_t(r)] != na++) std::abort();
                if (al.b[size_t(r)] >= 0 && al.b[size_t(r)] != nb++) std::abort();
                if (al.a[size_t(r)] < 0 && al.b[size_t(r)] < 0) std::abort();
            }
            if (na != int(a.size()) || nb != int(b.size())) std::abort();
            return 0;
        }
    }
}
