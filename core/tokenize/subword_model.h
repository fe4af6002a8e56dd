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

// Byte-pair encoding as the tokenizers library does it: each character becomes its token (with the
// continuing prefix / end-of-word suffix where set; unknown ones as their UTF-8 bytes' <0xNN>
// tokens with byte_fallback, else the unknown token, runs of them fused with fuse_unk), then the
// adjacent pair of lowest rank is merged until none is ranked. ignore_merges: a piece that is a
// token as a whole is taken as it is. Merges name vocabulary tokens (load the vocabulary first).
class BpeModel : public SubwordModel {
public:
    // False when a side or the merged token is not in the vocabulary. A pair listed twice keeps its
    // last rank (as the tokenizers library's map does).
    bool addMerge(const QString& left, const QString& right, int rank);
    int mergeCount() const { return int(m_merges.size()); }
    QString unkToken;  // empty: none
    bool byteFallback = false;
    bool fuseUnk = false;
    bool ignoreMerges = false;
    QString continuingPrefix, endOfWordSuffix;

    void split(const Piece& piece, std::vector<SubToken>& out) const override;

private:
    struct Symbol {
        int id, begin, end;  // token, characters [begin, end) of the piece
    };
    std::vector<Symbol> initialSymbols(const std::u32string& word) const;
    // Symbols of a word after all merges.
    std::vector<Symbol> merge(const std::u32string& word) const;

    struct Merge {
        int rank, id;
    };
    QHash<quint64, Merge> m_merges;  // (left id << 32 | right id) -> rank and merged id
    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::u32string, std::vector<Symbol>> m_cache;
};

}  // namespace attnscope::core
