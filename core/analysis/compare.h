#pragma once

#include "trace/ablation_sink.h"
#include "trace/attention_trace.h"

#include <QStringList>

#include <vector>

namespace attnscope::core {

// Two token sequences lined up: rows of the comparison, each an index into a and one into b, or -1
// where that side has no token (a gap). Same length: by position. Otherwise by the longest common
// subsequence of the token strings; unmatched tokens become gaps, in order.
struct TokenAlignment {
    std::vector<int> a, b;  // (m) each
    int size() const { return int(a.size()); }
    bool matched(int r) const { return a[size_t(r)] >= 0 && b[size_t(r)] >= 0; }
};
TokenAlignment alignTokens(const QStringList& a, const QStringList& b);

// One head's attention for two inputs and their difference on the aligned grid.
struct Comparison {
    QStringList tokensA, tokensB;
    TokenAlignment alignment;
    int layer = 0, head = 0;
    std::vector<float> a;     // (na, na)
    std::vector<float> b;     // (nb, nb)
    std::vector<float> diff;  // (m, m): b - a where row and column are matched on both sides, NaN in gaps
    int size() const { return alignment.size(); }
    // The largest |diff| (0 when all gaps).
    float maxAbsDiff() const;
    // Row label: the token, or "a → b" where the two differ, "a | —" for a gap.
    QString label(int r) const;
};

// a (na, na) and b (nb, nb) row-major.
Comparison compareMatrices(const QStringList& tokensA, const float* a, const QStringList& tokensB, const float* b);
// One head of two traces of the same model (tokens as labels).
Comparison compareHead(const QStringList& tokensA, const AttentionTrace& a, const QStringList& tokensB,
                       const AttentionTrace& b, int layer, int head);
// The head whose comparison changes most (largest |diff| on the aligned grid; ties: the first);
// (layer, head).
HeadRef mostChangedHead(const QStringList& tokensA, const AttentionTrace& a, const QStringList& tokensB,
                        const AttentionTrace& b);

}  // namespace attnscope::core
