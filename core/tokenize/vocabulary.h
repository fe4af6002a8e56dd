#pragma once

#include <QHash>
#include <QString>

#include <vector>

namespace attnscope::core {

// Token strings <-> ids. Ids need not be dense; gaps have empty strings. Memory follows the number
// of tokens, not the largest id, and ids are capped far above any real vocabulary (262,144 for
// Gemma 3), so a hostile file cannot make a table of billions of entries.
class Vocabulary {
public:
    static constexpr int kMaxId = (1 << 24) - 1;

    // False (and nothing added) when id is outside 0..kMaxId.
    bool add(const QString& token, int id);
    int id(const QString& token) const { return m_ids.value(token, -1); }
    bool contains(const QString& token) const { return m_ids.contains(token); }
    QString token(int id) const { return m_tokens.value(id); }
    int size() const { return int(m_ids.size()); }
    int maxId() const { return m_maxId; }
    // Characters (code points) of the longest token, counting a WordPiece prefix if any.
    int longestToken() const { return m_longest; }

private:
    QHash<QString, int> m_ids;
    QHash<int, QString> m_tokens;
    int m_maxId = -1;
    int m_longest = 0;
};

// The byte-fallback token of a byte: "<0x41>" (upper-case hex, as SentencePiece names them).
inline QString byteFallbackToken(unsigned char byte) {
    return QStringLiteral("<0x%1>").arg(QString::number(byte, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}

// One sub-word token inside a Piece: characters [begin, end) of piece.text.
struct SubToken {
    int id = 0;
    int begin = 0;
    int end = 0;
    QString text;
};

}  // namespace attnscope::core
