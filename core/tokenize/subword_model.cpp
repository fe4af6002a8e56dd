#include "tokenize/subword_model.h"

#include "tokenize/unicode_text.h"

#include <limits>

namespace attnscope::core {

void WordPieceModel::split(const Piece& piece, std::vector<SubToken>& out) const {
    const int n = int(piece.text.size());
    const int unk = m_vocab.id(unkToken);
    if (n > maxChars) {
        out.push_back({unk, 0, n, unkToken});
        return;
    }
    std::vector<SubToken> found;
    for (int start = 0; start < n;) {
        int end = n;
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
    std::vector<QString> symbols;
    for (char32_t c : word) symbols.push_back(QString::fromUcs4(&c, 1));
    while (symbols.size() > 1) {
        int best = std::numeric_limits<int>::max();
        size_t at = 0;
        for (size_t i = 0; i + 1 < symbols.size(); ++i) {
            const auto it = m_ranks.constFind(symbols[i] + QLatin1Char(' ') + symbols[i + 1]);
            if (it != m_ranks.constEnd() && *it < best) {
                best = *it;
                at = i;
            }
        }
        if (best == std::numeric_limits<int>::max()) break;
        // Merge every occurrence of the best pair, left to right.
        const QString left = symbols[at], right = symbols[at + 1];
        std::vector<QString> merged;
        for (size_t i = 0; i < symbols.size();) {
            if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
                merged.push_back(left + right);
                i += 2;
            } else {
                merged.push_back(symbols[i]);
                ++i;
            }
        }
        symbols.swap(merged);
    }
    std::vector<int> lengths;
    for (const QString& s : symbols) lengths.push_back(int(s.toUcs4().size()));
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
