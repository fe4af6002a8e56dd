#pragma once

#include "tokenize/piece.h"

#include <optional>
#include <vector>

namespace attnscope::core {

// BertNormalizer options (tokenizer.json names).
struct BertNormalizerOptions {
    bool cleanText = true;           // drop NUL, U+FFFD and control chars; whitespace -> space
    bool handleChineseChars = true;  // spaces around CJK ideographs
    bool lowercase = true;
    std::optional<bool> stripAccents;  // unset: follows lowercase
    bool enabled = true;             // false: no normalisation at all
};

// Normalises text as BERT does and splits it on whitespace and punctuation (BertPreTokenizer).
// `originBase` is added to every origin (the text's position in the whole input).
std::vector<Piece> bertPreTokenize(const std::u32string& text, int originBase, const BertNormalizerOptions& options);
// The two halves: BertNormalizer, and BertPreTokenizer (white space and punctuation).
Piece bertNormalize(const Piece& text, const BertNormalizerOptions& options);
std::vector<Piece> bertSplit(const Piece& normalized);

}  // namespace attnscope::core
