#include "tokenize/unigram_model.h"

#include "tokenize/unicode_text.h"

#include <algorithm>
#include <limits>

namespace attnscope::core {

void UnigramModel::addPiece(const QString& piece, int id, double score) {
    m_vocab.add(piece, id);
    m_scores.insert(piece, score);
    m_minScore = m_scores.size() == 1 ? score : std::min(m_minScore, score);
    m_longest = std::max(m_longest, int(unicode::toUtf32(piece).size()));
}

void UnigramModel::split(const Piece& piece, std::vector<SubToken>& out) const {
    constexpr double kUnkPenalty = 10.0;
    const int n = int(piece.text.size());
    struct Best {
        double score = -std::numeric_limits<double>::infinity();
        int from = -1;  // start of the token that ends here
        int id = -1;    // -2: unknown
    };
    std::vector<Best> best(size_t(n) + 1);
    best[0].score = 0;
    const double unkScore = m_minScore - kUnkPenalty;
    for (int start = 0; start < n; ++start) {
        if (best[size_t(start)].from < 0 && start > 0) continue;  // unreachable
        const double base = best[size_t(start)].score;
        bool single = false;
        for (int len = 1; len <= m_longest && start + len <= n; ++len) {
            const QString token = unicode::fromUtf32(piece.text.substr(size_t(start), size_t(len)));
            const auto it = m_scores.constFind(token);
            if (it == m_scores.constEnd()) continue;
            if (len == 1) single = true;
            Best& b = best[size_t(start + len)];
            if (b.from < 0 || base + *it > b.score) b = {base + *it, start, m_vocab.id(token)};
        }
        if (!single) {  // this character as the unknown token
            Best& b = best[size_t(start + 1)];
            if (b.from < 0 || base + unkScore > b.score) b = {base + unkScore, start, -2};
        }
    }
    std::vector<SubToken> tokens;  // backwards
    for (int end = n; end > 0;) {
        const Best& b = best[size_t(end)];
        const int from = std::max(0, b.from);
        tokens.push_back({b.id, from, end, QString()});
        end = from;
    }
    std::reverse(tokens.begin(), tokens.end());
    for (size_t i = 0; i < tokens.size(); ++i) {
        SubToken t = tokens[i];
        if (t.id != -2) {
            t.text = m_vocab.token(t.id);
            out.push_back(t);
            continue;
        }
        while (i + 1 < tokens.size() && tokens[i + 1].id == -2) t.end = tokens[++i].end;  // fuse unknowns
        const QString text = unicode::fromUtf32(piece.text.substr(size_t(t.begin), size_t(t.end - t.begin)));
        if (byteFallback) {
            std::vector<SubToken> bytes;
            for (char c : text.toUtf8()) {
                const QString name = byteFallbackToken(uchar(c));
                const int id = m_vocab.id(name);
                if (id < 0) {
                    bytes.clear();
                    break;
                }
                bytes.push_back({id, t.begin, t.end, name});
            }
            if (!bytes.empty()) {
                out.insert(out.end(), bytes.begin(), bytes.end());
                continue;
            }
        }
        out.push_back({unkId, t.begin, t.end, unkId >= 0 ? m_vocab.token(unkId) : text});
    }
}

}  // namespace attnscope::core
