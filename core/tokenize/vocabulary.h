#pragma once

#include <QHash>
#include <QString>

#include <vector>

namespace attnscope::core {

// Token strings <-> ids. Ids need not be dense; gaps have empty strings.
class Vocabulary {
public:
    void add(const QString& token, int id);
    int id(const QString& token) const { return m_ids.value(token, -1); }
    bool contains(const QString& token) const { return m_ids.contains(token); }
    QString token(int id) const;
    int size() const { return int(m_ids.size()); }
    int maxId() const { return int(m_tokens.size()) - 1; }

private:
    QHash<QString, int> m_ids;
    std::vector<QString> m_tokens;
};

// One sub-word token inside a Piece: characters [begin, end) of piece.text.
struct SubToken {
    int id = 0;
    int begin = 0;
    int end = 0;
    QString text;
};

}  // namespace attnscope::core
