#include "tokenize/byte_level.h"

#include "tokenize/unicode_text.h"

#include <array>

namespace attnscope::core {
namespace {

struct ByteTable {
    std::array<char32_t, 256> toChar{};
    ByteTable() {
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            toChar[size_t(b)] = printable ? char32_t(b) : next++;
        }
    }
};

const ByteTable& table() {
    static const ByteTable t;
    return t;
}

bool isOther(char32_t c) { return !unicode::isSpace(c) && !unicode::isLetter(c) && !unicode::isNumber(c); }

// Length of the match of the GPT-2 pattern at position i (always >= 1).
size_t matchAt(const std::u32string& s, size_t i) {
    const size_t n = s.size();
    auto run = [&](size_t from, bool (*pred)(char32_t)) {
        size_t j = from;
        while (j < n && pred(s[j])) ++j;
        return j;
    };
    if (s[i] == U'\'' && i + 1 < n) {  // contractions (case-sensitive, as in GPT-2)
        const char32_t a = s[i + 1], b = i + 2 < n ? s[i + 2] : 0;
        if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
        if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) return 3;
    }
    const size_t start = (s[i] == U' ' && i + 1 < n) ? i + 1 : i;  // optional leading space
    for (auto pred : {unicode::isLetter, unicode::isNumber, isOther})
        if (pred(s[start])) return run(start, pred) - i;
    // Whitespace: \s+(?!\S) leaves the last space for the next word, else \s+.
    const size_t end = run(i, unicode::isSpace);
    if (end == n || end - i == 1) return end - i;
    return end - i - 1;
}

}  // namespace

char32_t byteToChar(unsigned char byte) { return table().toChar[byte]; }

int charToByte(char32_t c) {
    static const auto inverse = [] {
        std::array<int, 512> inv;
        inv.fill(-1);
        for (int b = 0; b < 256; ++b) inv[size_t(table().toChar[size_t(b)])] = b;
        return inv;
    }();
    return c < 512 ? inverse[c] : -1;
}

std::vector<Piece> byteLevelPreTokenize(const std::u32string& input, int originBase, bool addPrefixSpace) {
    Piece in;
    in.text = input;
    for (size_t i = 0; i < input.size(); ++i) in.origin.push_back(originBase + int(i));
    return byteLevelSplit(in, addPrefixSpace, true);
}

std::vector<Piece> byteLevelSplit(const Piece& in, bool addPrefixSpace, bool useRegex) {
    std::u32string text = in.text;
    std::vector<int> where = in.origin;
    if (addPrefixSpace && !text.empty() && text[0] != U' ') {
        text.insert(text.begin(), U' ');
        where.insert(where.begin(), where.front());
    }
    std::vector<Piece> pieces;
    for (size_t i = 0; i < text.size();) {
        const size_t len = useRegex ? matchAt(text, i) : text.size();
        Piece p;
        for (size_t j = i; j < i + len; ++j) {
            const QByteArray utf8 = unicode::fromChar(text[j]).toUtf8();
            for (char byte : utf8) {
                p.text.push_back(byteToChar(static_cast<unsigned char>(byte)));
                p.origin.push_back(where[j]);
            }
        }
        pieces.push_back(std::move(p));
        i += len;
    }
    return pieces;
}

QString byteLevelDecode(const QString& token) {
    QByteArray bytes;
    for (char32_t c : unicode::toUtf32(token)) {
        const int b = charToByte(c);
        if (b >= 0) bytes.append(char(b));
        else bytes.append(unicode::fromChar(c).toUtf8());
    }
    return QString::fromUtf8(bytes);
}

}  // namespace attnscope::core
