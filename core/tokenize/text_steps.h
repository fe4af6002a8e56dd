#pragma once

#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/piece.h"

#include <QRegularExpression>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

// The steps of a tokenizer.json pipeline before the sub-word model: normalizers rewrite the text
// (keeping, for every character, where it came from) and pre-tokenizers cut it into pieces. Each
// step follows the tokenizers library's definition of the component of the same name.
namespace attnscope::core {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void apply(Piece& text) const = 0;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual void apply(std::vector<Piece>& pieces) const = 0;
};

using NormalizerPtr = std::shared_ptr<const Normalizer>;
using PreTokenizerPtr = std::shared_ptr<const PreTokenizer>;

// --- normalizers ---
// BertNormalizer: clean text, CJK spacing, lowercase, strip accents.
NormalizerPtr bertNormalizer(const BertNormalizerOptions& options);
// NFC, NFD, NFKC, NFKD: per grapheme cluster, so every character keeps an origin.
NormalizerPtr unicodeNormalizer(QString::NormalizationForm form);
NormalizerPtr lowercaseNormalizer();
NormalizerPtr stripAccentsNormalizer();  // NFD, then drop combining marks (Mn)
NormalizerPtr stripNormalizer(bool left, bool right);
// Replace every match of a literal string (or a regular expression) by `content`.
NormalizerPtr replaceNormalizer(const QString& literal, const QString& content);
NormalizerPtr replaceRegexNormalizer(const QRegularExpression& pattern, const QString& content);
NormalizerPtr prependNormalizer(const QString& prefix);  // not to an empty text

// --- pre-tokenizers ---
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
PreTokenizerPtr bertPreTokenizer();  // split on white space and around punctuation
// GPT-2's byte-level step: optionally a leading space and GPT-2's regex split, then bytes mapped to
// printable characters.
PreTokenizerPtr byteLevelPreTokenizer(bool addPrefixSpace, bool useRegex);
// Split on the matches of a regular expression (or a literal string) with the given behaviour;
// invert: the matches are the pieces.
PreTokenizerPtr splitPreTokenizer(const QRegularExpression& pattern, SplitBehavior behavior, bool invert);
// Metaspace: spaces become `replacement`, a leading one added (always, first piece only, never),
// then (split) a cut before every replacement character.
enum class PrependScheme { Always, First, Never };
PreTokenizerPtr metaspacePreTokenizer(char32_t replacement, PrependScheme scheme, bool split);
PreTokenizerPtr digitsPreTokenizer(bool individual);
PreTokenizerPtr punctuationPreTokenizer(SplitBehavior behavior);
PreTokenizerPtr whitespacePreTokenizer();       // \w+|[^\w\s]+
PreTokenizerPtr whitespaceSplitPreTokenizer();  // on white space

// A literal string as a regular expression.
QRegularExpression literalPattern(const QString& text);
// A regular expression as the tokenizers library (Oniguruma) reads it: Unicode classes.
QRegularExpression unicodePattern(const QString& pattern);

}  // namespace attnscope::core
