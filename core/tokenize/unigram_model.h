#pragma once

#include "tokenize/subword_model.h"

#include <QHash>

namespace attnscope::core {

// Unigram (SentencePiece's other model, as the tokenizers library runs it): the split of a piece
// whose tokens' log-probabilities sum highest (Viterbi over every vocabulary token that starts at
// each character). A character no token covers is the unknown token, scored the lowest score minus
// 10; runs of unknowns fuse; with byte_fallback they become their UTF-8 bytes' <0xNN> tokens.
class UnigramModel : public SubwordModel {
public:
    void addPiece(const QString& piece, int id, double score);
    int unkId = -1;
    bool byteFallback = false;

    void split(const Piece& piece, std::vector<SubToken>& out) const override;

private:
    QHash<QString, double> m_scores;
    double m_minScore = 0;
    int m_longest = 1;  // characters
};

}  // namespace attnscope::core
