#pragma once

// Byte-pair encoding as its plain definition, for checking and timing AttnScope's heap-based merge:
// repeatedly merge the adjacent pair of lowest rank (every occurrence, left to right) until no
// adjacent pair has a rank. Quadratic in the word's length, as AttnScope's merge loop once was.
#include <QFile>
#include <QHash>
#include <QString>
#include <QStringList>

namespace attnscope::test {

// merges.txt -> "left right" -> rank.
inline QHash<QString, int> loadMergeRanks(const QString& path) {
    QHash<QString, int> ranks;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return ranks;
    int rank = 0;
    for (const QByteArray& line : f.readAll().split('\n')) {
        const QString text = QString::fromUtf8(line).trimmed();
        if (!text.isEmpty() && !text.startsWith(QLatin1String("#version"))) ranks.insert(text, rank++);
    }
    return ranks;
}

inline QStringList referenceBpe(const QString& word, const QHash<QString, int>& ranks) {
    QStringList symbols;
    for (QChar c : word) symbols << QString(c);
    for (;;) {
        int best = -1, at = -1;
        for (int i = 0; i + 1 < symbols.size(); ++i) {
            const auto it = ranks.constFind(symbols[i] + QLatin1Char(' ') + symbols[i + 1]);
            if (it != ranks.constEnd() && (best < 0 || *it < best)) {
                best = *it;
                at = i;
            }
        }
        if (at < 0) return symbols;
        const QString left = symbols[at], right = symbols[at + 1];
        QStringList merged;
        for (int i = 0; i < symbols.size();) {
            if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
                merged << left + right;
                i += 2;
            } else {
                merged << symbols[i++];
            }
        }
        symbols = merged;
    }
}

}  // namespace attnscope::test
