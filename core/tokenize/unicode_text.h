#pragma once

#include <QString>

#include <string>

// Character classes with the exact definitions the reference tokenizers use.
namespace attnscope::core::unicode {

// BERT: space, \t, \n, \r or category Zs, Zl, Zp (U+2028 and U+2029 split words as in
// transformers, whose slow tokenizer splits with str.split() and fast one with char::is_whitespace).
bool isBertWhitespace(char32_t c);
// BERT: any category C* (Cc, Cf, Cs, Co, Cn: controls, format, surrogates, private use, unassigned)
// except \t \n \r; clean_text deletes them.
bool isBertControl(char32_t c);
// BERT: ASCII 33-47, 58-64, 91-96, 123-126, or any category P*.
bool isBertPunctuation(char32_t c);
// CJK Unified Ideographs blocks that BERT surrounds with spaces.
bool isCjkIdeograph(char32_t c);
// Unicode White_Space (what \s matches in the byte-level BPE pattern).
bool isSpace(char32_t c);
bool isLetter(char32_t c);  // \p{L}
bool isNumber(char32_t c);  // \p{N}

// Python's str.lower() of one character (may expand, e.g. U+0130 -> "i\u0307").
std::u32string toLower(char32_t c);
// NFD of one character with the combining marks (category Mn) removed.
std::u32string stripAccents(char32_t c);

std::u32string toUtf32(const QString& s);
QString fromUtf32(const std::u32string& s);  // keeps a leading U+FEFF (QString::fromUcs4 drops it)
QString fromChar(char32_t c);

}  // namespace attnscope::core::unicode
