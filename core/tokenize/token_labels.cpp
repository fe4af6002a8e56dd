#include "tokenize/token_labels.h"

namespace attnscope::core {

QString codePointSlice(const QString& text, int begin, int end) {
    QString out;
    int point = 0;
    for (int i = 0; i < text.size() && point < end; ++point) {
        const int units = text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate() ? 2 : 1;
        if (point >= begin) out += text.mid(i, units);
        i += units;
    }
    return out;
}

namespace {

// Whether a token's own text cannot show what was typed: a byte piece (<0x..>) of a character
// outside ASCII, or byte-level bytes that are not whole UTF-8 (decoded to U+FFFD).
bool isBytePiece(const Tokenizer& tok, int id, const QString& shown) {
    const QString raw = tok.token(id);
    if (raw.size() == 6 && raw.startsWith(QLatin1String("<0x")) && raw.endsWith(QLatin1Char('>'))) return true;
    return shown.contains(QChar(0xFFFD));
}

}  // namespace

QStringList tokenLabels(const Tokenizer& tok, const Encoding& e, const QString& text) {
    QStringList labels;
    int previousEnd = -1;  // where the character of the last byte piece labelled ends
    for (int i = 0; i < e.size(); ++i) {
        const int id = e.ids[size_t(i)];
        const bool special = e.special[size_t(i)];
        QString label = special ? tok.token(id) : tok.display(id);
        if (!special && isBytePiece(tok, id, label)) {
            const auto offsets = e.offsets[size_t(i)];
            const QString typed = codePointSlice(text, offsets.first, offsets.second).trimmed();
            if (!typed.isEmpty()) {
                label = offsets.second == previousEnd ? QStringLiteral("⋯") : typed;  // the same character
                previousEnd = offsets.second;
                labels << label;
                continue;
            }
        }
        previousEnd = -1;
        if (!special && (label == QLatin1String("[UNK]") || label == QLatin1String("<unk>"))) {  // what was typed, flagged by the chip
            const QString typed = codePointSlice(text, e.offsets[size_t(i)].first, e.offsets[size_t(i)].second).trimmed();
            if (!typed.isEmpty()) label = typed;
        }
        if (tok.tokenText != Tokenizer::TokenText::Plain && label.size() > 1) label = label.trimmed();
        if (label.trimmed().isEmpty()) label = label.contains(QLatin1Char('\n')) ? QStringLiteral("\\n") : QStringLiteral("␣");
        labels << label;
    }
    return labels;
}

}  // namespace attnscope::core
