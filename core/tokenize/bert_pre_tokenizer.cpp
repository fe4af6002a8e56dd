#include "tokenize/bert_pre_tokenizer.h"

#include "tokenize/unicode_text.h"

namespace attnscope::core {

// Normalised characters, each remembering where it came from.
Piece bertNormalize(const Piece& in, const BertNormalizerOptions& o) {
    const std::u32string& text = in.text;
    Piece out;
    const bool strip = o.stripAccents.value_or(o.lowercase);
    auto emit = [&out](char32_t c, int origin) {
        out.text.push_back(c);
        out.origin.push_back(origin);
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        const int origin = in.origin[i];
        if (!o.enabled) {
            emit(c, origin);
            continue;
        }
        if (o.cleanText) {
            if (c == 0 || c == 0xFFFD || unicode::isBertControl(c)) continue;
            if (unicode::isBertWhitespace(c)) {
                emit(U' ', origin);
                continue;
            }
        }
        if (o.handleChineseChars && unicode::isCjkIdeograph(c)) {
            emit(U' ', origin);
            emit(c, origin);
            emit(U' ', origin);
            continue;
        }
        std::u32string chars = o.lowercase ? unicode::toLower(c) : std::u32string(1, c);
        for (char32_t l : chars) {
            if (!strip) {
                emit(l, origin);
                continue;
            }
            for (char32_t s : unicode::stripAccents(l)) emit(s, origin);
        }
    }
    return out;
}

std::vector<Piece> bertPreTokenize(const std::u32string& text, int originBase, const BertNormalizerOptions& options) {
    Piece in;
    in.text = text;
    for (size_t i = 0; i < text.size(); ++i) in.origin.push_back(originBase + int(i));
    return bertSplit(bertNormalize(in, options));
}

std::vector<Piece> bertSplit(const Piece& norm) {
    std::vector<Piece> pieces;
    Piece current;
    auto flush = [&]() {
        if (!current.text.empty()) pieces.push_back(std::move(current));
        current = Piece();
    };
    for (size_t i = 0; i < norm.text.size(); ++i) {
        const char32_t c = norm.text[i];
        if (unicode::isBertWhitespace(c)) {
            flush();
        } else if (unicode::isBertPunctuation(c)) {
            flush();
            current.text.push_back(c);
            current.origin.push_back(norm.origin[i]);
            flush();
        } else {
            current.text.push_back(c);
            current.origin.push_back(norm.origin[i]);
        }
    }
    flush();
    return pieces;
}

}  // namespace attnscope::core
