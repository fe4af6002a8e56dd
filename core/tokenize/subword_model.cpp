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

bool BpeModel::addMerge(const QString& left, const QString& right, int rank) {
    const int a = m_vocab.id(left), b = m_vocab.id(right), merged = m_vocab.id(left + right);
    if (a < 0 || b < 0 || merged < 0) return false;
    m_merges.insert((quint64(quint32(a)) << 32) | quint32(b), Merge{rank, merged});
    return true;
}

std::vector<BpeModel::Symbol> BpeModel::initialSymbols(const std::u32string& word) const {
    std::vector<Symbol> symbols;
    const int unk = unkToken.isEmpty() ? -1 : m_vocab.id(unkToken);
    bool lastUnk = false;
    const int n = int(word.size());
    for (int i = 0; i < n; ++i) {
        QString s = unicode::fromChar(word[size_t(i)]);
        if (i > 0) s.prepend(continuingPrefix);
        if (i == n - 1) s.append(endOfWordSuffix);
        if (const int id = m_vocab.id(s); id >= 0) {
            symbols.push_back({id, i, i + 1});
            lastUnk = false;
            continue;
        }
        if (byteFallback) {
            std::vector<int> bytes;
            for (char c : s.toUtf8()) {
                const int id = m_vocab.id(byteFallbackToken(uchar(c)));
                if (id < 0) {
                    bytes.clear();
                    break;
                }
                bytes.push_back(id);
            }
            if (!bytes.empty()) {
                for (int id : bytes) symbols.push_back({id, i, i + 1});
                lastUnk = false;
                continue;
            }
        }
        if (fuseUnk && lastUnk) {
            symbols.back().end = i + 1;
        } else {
            symbols.push_back({unk, i, i + 1});  // -1 without an unknown token: the tokenizer refuses it
        }
        lastUnk = true;
    }
    return symbols;
}

std::vector<BpeModel::Symbol> BpeModel::merge(const std::u32string& word) const {
    {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (auto it = m_cache.find(word); it != m_cache.end()) return it->second;
    }
    // The word's symbols as a linked list; a min-heap of candidate merges ordered by (rank,
    // position), as the tokenizers library does: O(n log n) instead of a rescan per merge. A heap
    // entry remembers both symbols' tokens, so one made stale by an earlier merge is skipped.
    struct Node {
        Symbol s;
        int prev, next;
        bool alive;
    };
    struct Candidate {
        int rank, at, left, right, merged;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : at > o.at; }
    };
    const std::vector<Symbol> initial = initialSymbols(word);
    const int n = int(initial.size());
    std::vector<Node> nodes(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) nodes[size_t(i)] = {initial[size_t(i)], i - 1, i + 1 < n ? i + 1 : -1, true};
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
    auto consider = [&](int a) {
        const int b = a < 0 ? -1 : nodes[size_t(a)].next;
        if (b < 0 || nodes[size_t(a)].s.id < 0 || nodes[size_t(b)].s.id < 0) return;
        const int l = nodes[size_t(a)].s.id, r = nodes[size_t(b)].s.id;
        const auto it = m_merges.constFind((quint64(quint32(l)) << 32) | quint32(r));
        if (it != m_merges.constEnd()) heap.push({it->rank, a, l, r, it->id});
    };
    for (int i = 0; i + 1 < n; ++i) consider(i);
    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Node& a = nodes[size_t(c.at)];
        if (!a.alive || a.s.id != c.left || a.next < 0 || nodes[size_t(a.next)].s.id != c.right) continue;  // stale
        Node& b = nodes[size_t(a.next)];
        a.s = {c.merged, a.s.begin, b.s.end};
        b.alive = false;
        a.next = b.next;
        if (a.next >= 0) nodes[size_t(a.next)].prev = c.at;
        consider(a.prev);
        consider(c.at);
    }
    std::vector<Symbol> symbols;
    for (int i = n > 0 ? 0 : -1; i >= 0; i = nodes[size_t(i)].next) symbols.push_back(nodes[size_t(i)].s);
    std::lock_guard<std::mutex> lock(m_cacheMutex);
    if (m_cache.size() > 50000) m_cache.clear();
    m_cache.emplace(word, symbols);
    return symbols;
}

void BpeModel::split(const Piece& piece, std::vector<SubToken>& out) const {
    if (ignoreMerges)
        if (const int id = m_vocab.id(unicode::fromUtf32(piece.text)); id >= 0) {
            out.push_back({id, 0, int(piece.text.size()), m_vocab.token(id)});
            return;
        }
    for (const Symbol& s : merge(piece.text))
        out.push_back({s.id, s.begin, s.end, s.id >= 0 ? m_vocab.token(s.id) : unicode::fromUtf32(piece.text.substr(size_t(s.begin), size_t(s.end - s.begin)))});
}

}  // namespace attnscope::core
