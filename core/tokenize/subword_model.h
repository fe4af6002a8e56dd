#pragma once

#include "tokenize/piece.h"
#include "tokenize/vocabulary.h"

#include <QHash>
#include <QString>

#include <mutex>
#include <unordered_map>
#include <vector>

namespace attnscope::core {

// Splits one pre-tokenized piece into vocabulary tokens.
class SubwordModel {
public:
    virtual ~SubwordModel() = default;
    virtual void split(const Piece& piece, std::vector<SubToken>& out) const = 0;
    const Vocabulary& vocabulary() const { return m_vocab; }
    Vocabulary& vocabulary() { return m_vocab; }

protected:
    Vocabulary m_vocab;
};

// Greedy longest-match-first WordPiece with "##" continuations; a word longer than maxChars or
// with no match becomes the unknown token.
class WordPieceModel : public SubwordModel {
public:
    QString unkToken = QStringLiteral("[UNK]");
    QString prefix = QStringLiteral("##");
    int maxChars = 100;

    void split(const Piece& piece, std::vector<SubToken>& out) const override;
};

// Byte-pair encoding: repeatedly merge the adjacent pair with the lowest rank.
class BpeModel : public SubwordModel {
public:
    void addMerge(const QString& left, const QString& right, int rank);
    int mergeCount() const { return int(m_ranks.size()); }
    QString unkToken;  // empty: none

    void split(const Piece& piece, std::vector<SubToken>& out) const override;

private:
    // Symbols of a word after all merges, as lengths in characters.
    std::vector<int> merge(const std::u32string& word) const;

    QHash<QString, int> m_ranks;  // "left right" -> rank
    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::u32string, std::vector<int>> m_cache;
};

}  // namespace attnscope::core
