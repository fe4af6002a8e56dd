#include "tokenize/subword_model.h"

#include "tokenize/unicode_text.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

namespace attnscope::core {

void WordPieceModel::split(const Piece& piece, std::vector<SubToken>& out) const {
    const int n = int(piece.text.size());
    const int unk = m_vocab.id(unkToken);
    if (n > maxChars) {
        out.push_back({unk, 0, n, unkToken});
        return;
    }
    // No vocabulary entry is longer than longestToken(), so longer candidates are never tried: the
    // work is linear in the word's length (the plain loop is quadratic, or worse, in it).
    const int longest = std::max(1, m_vocab.longestToken());
    std::vector<SubToken> found;
    for (int start = 0; start < n;) {
        int end = std::min(n, start + longest);
        int id = -1;
        QString text;
        for (; end > start; --end) {
            text = unicode::fromUtf32(piece.text.substr(size_t(start), size_t(end - start)));
            if (start > 0) text.prepend(prefix);
            id = m_vocab.id(text);
            if (id >= 0) break;
        }
        if (id < 0) {  // no piece matches: the whole word is unknown
            out.push_back({unk, 0, n, unkToken});
            return;
        }
        found.push_back({id, start, end, text});
        start = end;
    }
    out.insert(out.end(), found.begin(), found.end());
}

void BpeModel::addMerge(const QString& left, const QString& right, int rank) {
    const QString key = left + QLatin1Char(' ') + right;
    if (!m_ranks.contains(key)) m_ranks.insert(key, rank);
}

std::vector<int> BpeModel::merge(const std::u32string& word) const {
    {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (auto it = m_cache.find(word); it != m_cache.end()) return it->second;
    }
    // The word's symbols as a linked list of spans; a min-heap of candidate merges ordered by
    // (rank, position), as the tokenizers library does: O(n log n) instead of a rescan per merge.
    // A heap entry remembers both symbols' lengths, so one made stale by an earlier merge is skipped.
    struct Symbol {
        int start, len, prev, next;
    };
    struct Candidate {
        int rank, at, leftLen, rightLen;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : at > o.at; }
    };
    const int n = int(word.size());
    std::vector<Symbol> sym(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) sym[size_t(i)] = {i, 1, i - 1, i + 1 < n ? i + 1 : -1};
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
    auto text = [&](int i) { return unicode::fromUtf32(word.substr(size_t(sym[size_t(i)].start), size_t(sym[size_t(i)].len))); };
    auto consider = [&](int a) {
        const int b = a < 0 ? -1 : sym[size_t(a)].next;
        if (b < 0) return;
        const auto it = m_ranks.constFind(text(a) + QLatin1Char(' ') + text(b));
        if (it != m_ranks.constEnd()) heap.push({*it, a, sym[size_t(a)].len, sym[size_t(b)].len});
    };
    for (int i = 0; i + 1 < n; ++i) consider(i);
    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Symbol& a = sym[size_t(c.at)];
        if (a.len != c.leftLen || a.next < 0 || sym[size_t(a.next)].len != c.rightLen) continue;  // stale
        Symbol& b = sym[size_t(a.next)];
        a.len += b.len;
        b.len = 0;
        a.next = b.next;
        if (a.next >= 0) sym[size_t(a.next)].prev = c.at;
        consider(a.prev);
        consider(c.at);
    }
    std::vector<int> lengths;
    for (int i = n > 0 ? 0 : -1; i >= 0; i = sym[size_t(i)].next) lengths.push_back(sym[size_t(i)].len);
    std::lock_guard<std::mutex> lock(m_cacheMutex);
    if (m_cache.size() > 50000) m_cache.clear();
    m_cache.emplace(word, lengths);
    return lengths;
}

void BpeModel::split(const Piece& piece, std::vector<SubToken>& out) const {
    int begin = 0;
    for (int len : merge(piece.text)) {
        const QString text = unicode::fromUtf32(piece.text.substr(size_t(begin), size_t(len)));
        int id = m_vocab.id(text);
        if (id < 0 && !unkToken.isEmpty()) id = m_vocab.id(unkToken);
        out.push_back({id, begin, begin + len, text});
        begin += len;
    }
}

}  // namespace attnscope::core
