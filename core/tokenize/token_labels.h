#pragma once

#include "tokenize/tokenizer.h"

#include <QString>
#include <QStringList>

namespace attnscope::core {

// What a chip shows for each token of an encoding of `text`: the token as text ("▁animal" and
// "Ġanimal" as "animal"), special tokens as themselves, blanks as "␣" or "\n". A character the
// tokenizer split into byte pieces (byte fallback's <0xF0><0x9F>..., or byte-level pieces that are
// not whole UTF-8) is shown once, from the typed text at the pieces' offsets, on its first piece;
// the pieces after it show "⋯". An unknown token ([UNK], <unk>) shows the text typed there (the
// token bar still flags it). The ids and the number of tokens are unchanged.
QStringList tokenLabels(const Tokenizer& tokenizer, const Encoding& encoding, const QString& text);

// The code points [begin, end) of text (Encoding offsets count code points, not UTF-16 units).
QString codePointSlice(const QString& text, int begin, int end);

}  // namespace attnscope::core
