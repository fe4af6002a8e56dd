#include "tokenize/tokenizer.h"

#include "tokenize/byte_level.h"
#include "tokenize/unicode_text.h"

namespace attnscope::core {

Tokenizer::Tokenizer(std::unique_ptr<SubwordModel> model, PreTokenizer pre)
    : m_model(std::move(model)), m_pre(pre) {}

int Tokenizer::vocabSize() const { return m_model->vocabulary().maxId() + 1; }

QString Tokenizer::display(int id) const {
    const QString t = token(id);
    return m_pre == PreTokenizer::ByteLevel ? byteLevelDecode(t) : t;
}

int Tokenizer::maskId() const {
    for (const SpecialToken& s : specials)
        if (s.content == QLatin1String("[MASK]") || s.content == QLatin1String("<mask>")) return s.id;
    return -1;
}

QString Tokenizer::maskToken() const {
    const int id = maskId();
    return id >= 0 ? token(id) : QString();
}

QString Tokenizer::describe() const {
    const bool wordPiece = dynamic_cast<const WordPieceModel*>(m_model.get()) != nullptr;
    QString kind = wordPiece ? QStringLiteral("WordPiece") : QStringLiteral("byte-level BPE");
    if (wordPiece && normalizer.enabled) kind += normalizer.lowercase ? QStringLiteral(", uncased") : QStringLiteral(", cased");
    return QStringLiteral("%1, %2 tokens").arg(kind).arg(vocabSize());
}

void Tokenizer::appendSpecial(int id, int begin, int end, Encoding& out) const {
    out.ids.push_back(id);
    out.tokens << token(id);
    out.offsets.emplace_back(begin, end);
    out.special.push_back(true);
}

Status Tokenizer::encodeSegment(const std::u32string& text, int originBase, Encoding& out) const {
    const std::vector<Piece> pieces = m_pre == PreTokenizer::Bert
                                          ? bertPreTokenize(text, originBase, normalizer)
                                          : byteLevelPreTokenize(text, originBase, addPrefixSpace);
    std::vector<SubToken> subs;
    for (const Piece& piece : pieces) {
        subs.clear();
        m_model->split(piece, subs);
        for (const SubToken& s : subs) {
            if (s.id < 0)
                return inputError(QStringLiteral("token '%1' is not in the vocabulary and the tokenizer has "
                                                 "no unknown token")
                                      .arg(s.text));
            int b = s.begin, e = s.end;
            if (m_pre == PreTokenizer::ByteLevel) {  // trim_offsets: spans leave out surrounding spaces
                auto space = [&](int i) { return piece.text[size_t(i)] == byteToChar(' '); };
                while (b < e - 1 && space(b)) ++b;
                while (e - 1 > b && space(e - 1)) --e;
            }
            out.ids.push_back(s.id);
            out.tokens << s.text;
            out.offsets.emplace_back(piece.origin[size_t(b)], piece.origin[size_t(e - 1)] + 1);
            out.special.push_back(false);
        }
    }
    return {};
}

Result<Encoding> Tokenizer::encode(const QString& input) const {
    const std::u32string text = unicode::toUtf32(input);
    Encoding out;
    for (int id : templatePrefix) appendSpecial(id, 0, 0, out);

    // Cut the text at special tokens written in it, leftmost (then longest) match first.
    std::vector<std::u32string> contents;
    for (const SpecialToken& s : specials) contents.push_back(unicode::toUtf32(s.content));
    size_t start = 0, pos = 0;
    while (pos <= text.size()) {
        const SpecialToken* hit = nullptr;
        std::u32string hitText;
        for (size_t i = 0; i < specials.size(); ++i) {
            const std::u32string& c = contents[i];
            if (!c.empty() && text.compare(pos, c.size(), c) == 0 && (!hit || c.size() > hitText.size())) {
                hit = &specials[i];
                hitText = c;
            }
        }
        if (!hit) {
            if (pos == text.size()) break;
            ++pos;
            continue;
        }
        size_t segEnd = pos, next = pos + hitText.size();
        if (hit->lstrip)
            while (segEnd > start && unicode::isSpace(text[segEnd - 1])) --segEnd;
        if (hit->rstrip)
            while (next < text.size() && unicode::isSpace(text[next])) ++next;
        if (Status s = encodeSegment(text.substr(start, segEnd - start), int(start), out); !s) return s.error();
        appendSpecial(hit->id, int(pos), int(pos + hitText.size()), out);
        start = pos = next;
    }
    if (Status s = encodeSegment(text.substr(start), int(start), out); !s) return s.error();

    for (int id : templateSuffix) appendSpecial(id, 0, 0, out);
    return out;
}

}  // namespace attnscope::core
