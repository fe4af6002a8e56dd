#pragma once

#include "tokenize/piece.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace attnscope::core {

// GPT-2's byte-to-printable-character table: bytes 33-126, 161-172 and 174-255 map to themselves,
// the other 68 bytes in order to U+0100, U+0101, ... (space -> U+0120 'Ġ').
char32_t byteToChar(unsigned char byte);
// The inverse; -1 for a character that is not in the table.
int charToByte(char32_t c);

// Splits text with GPT-2's pattern
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// and maps each piece's UTF-8 bytes to the printable table; origin is per byte.
std::vector<Piece> byteLevelPreTokenize(const std::u32string& text, int originBase, bool addPrefixSpace);
// The same on a piece; without useRegex the piece is only mapped to bytes, not split.
std::vector<Piece> byteLevelSplit(const Piece& text, bool addPrefixSpace, bool useRegex);

// The UTF-8 text a byte-level token stands for ("Ġworld" -> " world"); invalid bytes show as U+FFFD.
QString byteLevelDecode(const QString& token);

}  // namespace attnscope::core
