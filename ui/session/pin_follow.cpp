#include "session/pin_follow.h"

#include <algorithm>

namespace attnscope::ui {
namespace {

bool hasSpan(const core::Encoding& e, int i) {
    return size_t(i) < e.offsets.size() && e.offsets[size_t(i)].second > e.offsets[size_t(i)].first;
}

// A special token with no characters: the one at the same end of the sequence, with the same string.
int followSpecial(const core::Encoding& a, int pinned, const core::Encoding& b) {
    const QString& token = a.tokens[pinned];
    if (pinned == 0) return b.size() > 0 && !hasSpan(b, 0) && b.tokens[0] == token ? 0 : -1;
    if (pinned == a.size() - 1) {
        const int last = b.size() - 1;
        return last >= 0 && !hasSpan(b, last) && b.tokens[last] == token ? last : -1;
    }
    return -1;
}

}  // namespace

int followPinnedToken(const AnalysisResult& before, int pinned, const AnalysisResult& after) {
    if (pinned < 0 || !after.trace) return -1;
    const int n = after.trace->tokens();
    if (before.isImage() || after.isImage()) {
        if (before.isImage() != after.isImage() || before.grid != after.grid) return -1;
        return pinned < n ? pinned : -1;
    }
    const core::Encoding& a = before.encoding;
    const core::Encoding& b = after.encoding;
    if (pinned >= a.size() || a.tokens.size() != a.size()) return -1;
    if (!hasSpan(a, pinned)) return followSpecial(a, pinned, b);

    // The edit: the texts share a prefix of p code points (offsets count code points) and a suffix
    // of q (not overlapping it).
    const QList<uint> x = before.text.toUcs4();
    const QList<uint> y = after.text.toUcs4();
    const int shorter = int(std::min(x.size(), y.size()));
    int p = 0;
    while (p < shorter && x[p] == y[p]) ++p;
    int q = 0;
    while (q < shorter - p && x[x.size() - 1 - q] == y[y.size() - 1 - q]) ++q;

    // The pinned token's word: the run of letters and digits around it (the token alone when it is
    // punctuation). The word must come through the edit whole, with the same letters around it.
    const auto [start, end] = a.offsets[size_t(pinned)];
    auto isWordChar = [](uint c) { return QChar::isLetterOrNumber(c) || QChar::category(c) == QChar::Mark_NonSpacing; };
    const bool wordy = start < int(x.size()) && isWordChar(x[start]);
    int wordStart = start, wordEnd = std::min<int>(end, int(x.size()));
    if (wordy) {
        while (wordStart > 0 && isWordChar(x[wordStart - 1])) --wordStart;
        while (wordEnd < int(x.size()) && isWordChar(x[wordEnd])) ++wordEnd;
    }
    int shift = 0;
    if (wordEnd <= p) shift = 0;                                                  // before the edit
    else if (wordStart >= int(x.size()) - q) shift = int(y.size() - x.size());   // after it
    else return -1;                                                               // the word was edited
    const int newStart = wordStart + shift, newEnd = wordEnd + shift;
    if (newStart < 0 || newEnd > int(y.size())) return -1;
    if (wordy && ((newStart > 0 && isWordChar(y[newStart - 1])) || (newEnd < int(y.size()) && isWordChar(y[newEnd]))))
        return -1;  // letters typed against it: another word now ("it" -> "its", "it was" -> "itwas")

    // Tokens sharing one span (pieces of one character, byte fallback) are told apart by their order.
    int ordinal = 0;
    for (int i = 0; i < pinned; ++i)
        if (a.offsets[size_t(i)] == a.offsets[size_t(pinned)]) ++ordinal;
    const std::pair<int, int> target(start + shift, end + shift);
    for (int i = 0; i < std::min(n, b.size()); ++i) {
        if (size_t(i) >= b.offsets.size() || b.offsets[size_t(i)] != target) continue;
        if (ordinal-- > 0) continue;
        return b.tokens[i] == a.tokens[pinned] ? i : -1;
    }
    return -1;
}

}  // namespace attnscope::ui
