#include "analysis/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnscope::core {

TokenAlignment alignTokens(const QStringList& a, const QStringList& b) {
    TokenAlignment out;
    const int na = int(a.size()), nb = int(b.size());
    if (na == nb) {
        for (int i = 0; i < na; ++i) {
            out.a.push_back(i);
            out.b.push_back(i);
        }
        return out;
    }
    // lcs[i][j] = length of the LCS of a[i..] and b[j..], (na + 1, nb + 1)
    const size_t w = size_t(nb) + 1;
    std::vector<int> lcs((size_t(na) + 1) * w, 0);
    for (int i = na - 1; i >= 0; --i)
        for (int j = nb - 1; j >= 0; --j)
            lcs[size_t(i) * w + size_t(j)] = a[i] == b[j] ? lcs[size_t(i + 1) * w + size_t(j + 1)] + 1
                                                          : std::max(lcs[size_t(i + 1) * w + size_t(j)], lcs[size_t(i) * w + size_t(j + 1)]);
    int i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && a[i] == b[j]) {
            out.a.push_back(i++);
            out.b.push_back(j++);
        } else if (j >= nb || (i < na && lcs[size_t(i + 1) * w + size_t(j)] >= lcs[size_t(i) * w + size_t(j + 1)])) {
            out.a.push_back(i++);  // a's token has no partner
            out.b.push_back(-1);
        } else {
            out.a.push_back(-1);
            out.b.push_back(j++);
        }
    }
    return out;
}

float Comparison::maxAbsDiff() const {
    float m = 0;
    for (float d : diff)
        if (!std::isnan(d)) m = std::max(m, std::fabs(d));
    return m;
}

QString Comparison::label(int r) const {
    const int i = alignment.a[size_t(r)], j = alignment.b[size_t(r)];
    if (j < 0) return tokensA[i] + QStringLiteral(" | —");
    if (i < 0) return QStringLiteral("— | ") + tokensB[j];
    return tokensA[i] == tokensB[j] ? tokensA[i] : tokensA[i] + QStringLiteral(" → ") + tokensB[j];
}

Comparison compareMatrices(const QStringList& tokensA, const float* a, const QStringList& tokensB, const float* b) {
    Comparison c;
    c.tokensA = tokensA;
    c.tokensB = tokensB;
    const size_t na = size_t(tokensA.size()), nb = size_t(tokensB.size());
    c.a.assign(a, a + na * na);
    c.b.assign(b, b + nb * nb);
    c.alignment = alignTokens(tokensA, tokensB);
    const size_t m = size_t(c.size());
    c.diff.assign(m * m, std::numeric_limits<float>::quiet_NaN());
    for (size_t r = 0; r < m; ++r) {
        if (!c.alignment.matched(int(r))) continue;
        const size_t ar = size_t(c.alignment.a[r]), br = size_t(c.alignment.b[r]);
        for (size_t col = 0; col < m; ++col) {
            if (!c.alignment.matched(int(col))) continue;
            const size_t ac = size_t(c.alignment.a[col]), bc = size_t(c.alignment.b[col]);
            c.diff[r * m + col] = b[br * nb + bc] - a[ar * na + ac];
        }
    }
    return c;
}

Comparison compareHead(const QStringList& tokensA, const AttentionTrace& a, const QStringList& tokensB,
                       const AttentionTrace& b, int layer, int head) {
    const HeadMatrices ha = a.head(layer, head), hb = b.head(layer, head);
    Comparison c = compareMatrices(tokensA, ha.probs(), tokensB, hb.probs());
    c.layer = layer;
    c.head = head;
    return c;
}

HeadRef mostChangedHead(const QStringList& tokensA, const AttentionTrace& a, const QStringList& tokensB,
                        const AttentionTrace& b) {
    HeadRef best;
    float most = -1;
    const TokenAlignment al = alignTokens(tokensA, tokensB);
    for (int l = 0; l < std::min(a.layers(), b.layers()); ++l)
        for (int h = 0; h < std::min(a.heads(), b.heads()); ++h) {
            const HeadMatrices ha = a.head(l, h), hb = b.head(l, h);
            float m = 0;
            for (int r = 0; r < al.size(); ++r) {
                if (!al.matched(r)) continue;
                const float* ra = ha.probsRow(al.a[size_t(r)]);
                const float* rb = hb.probsRow(al.b[size_t(r)]);
                for (int c = 0; c < al.size(); ++c)
                    if (al.matched(c)) m = std::max(m, std::fabs(rb[al.b[size_t(c)]] - ra[al.a[size_t(c)]]));
            }
            if (m > most) {
                most = m;
                best = {l, h};
            }
        }
    return best;
}

}  // namespace attnscope::core
