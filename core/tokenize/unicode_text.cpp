#include "tokenize/unicode_text.h"

#include <QChar>
#include <QList>

namespace attnscope::core::unicode {

bool isBertWhitespace(char32_t c) {
    if (c == U' ' || c == U'\t' || c == U'\n' || c == U'\r') return true;
    const auto cat = QChar::category(c);
    return cat == QChar::Separator_Space || cat == QChar::Separator_Line || cat == QChar::Separator_Paragraph;
}

bool isBertControl(char32_t c) {
    if (c == U'\t' || c == U'\n' || c == U'\r') return false;
    switch (QChar::category(c)) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
            return true;
        default:
            return false;
    }
}

bool isBertPunctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
        return true;
    switch (QChar::category(c)) {
        case QChar::Punctuation_Connector:
        case QChar::Punctuation_Dash:
        case QChar::Punctuation_Open:
        case QChar::Punctuation_Close:
        case QChar::Punctuation_InitialQuote:
        case QChar::Punctuation_FinalQuote:
        case QChar::Punctuation_Other:
            return true;
        default:
            return false;
    }
}

bool isCjkIdeograph(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool isSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

bool isLetter(char32_t c) { return QChar::isLetter(c); }
bool isNumber(char32_t c) { return QChar::isNumber(c); }

std::u32string toLower(char32_t c) {
    if (c < 128) return std::u32string(1, (c >= U'A' && c <= U'Z') ? c + 32 : c);
    return toUtf32(fromChar(c).toLower());
}

std::u32string stripAccents(char32_t c) {
    if (c < 128) return std::u32string(1, c);
    const std::u32string nfd = toUtf32(fromChar(c).normalized(QString::NormalizationForm_D));
    std::u32string out;
    for (char32_t d : nfd)
        if (QChar::category(d) != QChar::Mark_NonSpacing) out.push_back(d);
    return out;
}

std::u32string toUtf32(const QString& s) {
    const QList<uint> ucs4 = s.toUcs4();
    return std::u32string(ucs4.begin(), ucs4.end());
}

// Not QString::fromUcs4: it takes a leading U+FEFF for a byte-order mark and drops it.
QString fromUtf32(const std::u32string& s) {
    QString out;
    out.reserve(qsizetype(s.size()));
    for (char32_t c : s) {
        if (QChar::requiresSurrogates(c)) {
            out.append(QChar(QChar::highSurrogate(c)));
            out.append(QChar(QChar::lowSurrogate(c)));
        } else {
            out.append(QChar(char16_t(c)));
        }
    }
    return out;
}

QString fromChar(char32_t c) { return fromUtf32(std::u32string(1, c)); }

}  // namespace attnscope::core::unicode
