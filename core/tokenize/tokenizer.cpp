#include "tokenize/tokenizer.h"

#include "tokenize/byte_level.h"
#include "tokenize/unicode_text.h"

#include <algorithm>

namespace attnscope::core {
namespace {

// What may not touch a single_word added token: a letter, a digit or _.
bool isSingleWordChar(char32_t c) { return unicode::isLetter(c) || unicode::isNumber(c) || c == U'_'; }

// "<0x41>" -> 0x41, or -1.
int byteToken(const QString& t) {
    if (t.size() != 6 || !t.startsWith(QLatin1String("<0x")) || !t.endsWith(QLatin1Char('>'))) return -1;
    bool ok = false;
    const int v = t.mid(3, 2).toInt(&ok, 16);
    return ok ? v : -1;
}

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<SubwordModel> model) : m_model(std::move(model)) {}

int Tokenizer::vocabSize() const { return m_model->vocabulary().maxId() + 1; }

void Tokenizer::addSpecial(const SpecialToken& token) {
    if (token.content.isEmpty() || hasSpecial(token.content)) return;
    const int index = int(m_specials.size());
    m_specials.push_back(token);
    m_specialTexts.push_back(unicode::toUtf32(token.content));
    std::vector<int>& bucket = m_specialsByFirst[m_specialTexts.back().front()];
    bucket.push_back(index);
    std::stable_sort(bucket.begin(), bucket.end(),
                     [&](int a, int b) { return m_specialTexts[size_t(a)].size() > m_specialTexts[size_t(b)].size(); });
}

bool Tokenizer::hasSpecial(const QString& content) const {
    return std::any_of(m_specials.begin(), m_specials.end(), [&](const SpecialToken& s) { return s.content == content; });
}

QString Tokenizer::display(int id) const {
    const QString t = token(id);
    switch (tokenText) {
        case TokenText::ByteLevel: return byteLevelDecode(t);
        case TokenText::Metaspace: {
            const int byte = byteToken(t);
            if (byte >= 0) return byte < 0x80 ? QString(QChar(byte)) : t;  // a lone UTF-8 byte shows as its token
            return QString(t).replace(QChar(0x2581), QLatin1Char(' '));
        }
        case TokenText::Plain: break;
    }
    return t;
}

int Tokenizer::maskId() const {
    for (const SpecialToken& s : m_specials)
        if (s.content == QLatin1String("[MASK]") || s.content == QLatin1String("<mask>")) return s.id;
    return -1;
}

QString Tokenizer::maskToken() const {
    const int id = maskId();
    return id >= 0 ? token(id) : QString();
}

QString Tokenizer::describe() const { return QStringLiteral("%1, %2 tokens").arg(kind).arg(vocabSize()); }

void Tokenizer::appendSpecial(int id, int begin, int end, Encoding& out) const {
    out.ids.push_back(id);
    out.tokens << token(id);
    out.offsets.emplace_back(begin, end);
    out.special.push_back(true);
}

Status Tokenizer::encodeSegment(const std::u32string& text, int originBase, Encoding& out) const {
    Piece whole;
    whole.text = text;
    for (size_t i = 0; i < text.size(); ++i) whole.origin.push_back(originBase + int(i));
    for (const NormalizerPtr& n : normalizers) n->apply(whole);
    std::vector<Piece> pieces;
    if (!whole.text.empty()) pieces.push_back(std::move(whole));
    for (const PreTokenizerPtr& p : preTokenizers) p->apply(pieces);
    std::vector<SubToken> subs;
    for (const Piece& piece : pieces) {
        if (piece.text.empty()) continue;
        subs.clear();
        m_model->split(piece, subs);
        for (const SubToken& s : subs) {
            if (s.id < 0)
                return inputError(QStringLiteral("token '%1' is not in the vocabulary and the tokenizer has "
                                                 "no unknown token")
                                      .arg(s.text));
            int b = s.begin, e = s.end;
            if (trimOffsets) {  // spans leave out surrounding spaces
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

    // Cut the text at added tokens written in it, leftmost (then longest) match first.
    size_t start = 0, pos = 0;
    while (pos < text.size()) {
        const SpecialToken* hit = nullptr;
        size_t hitLength = 0;
        if (const auto bucket = m_specialsByFirst.constFind(text[pos]); bucket != m_specialsByFirst.constEnd()) {
            for (int i : *bucket) {
                const std::u32string& c = m_specialTexts[size_t(i)];
                if (text.compare(pos, c.size(), c) != 0) continue;
                const SpecialToken& s = m_specials[size_t(i)];
                if (s.singleWord && ((pos > 0 && isSingleWordChar(text[pos - 1])) ||
                                     (pos + c.size() < text.size() && isSingleWordChar(text[pos + c.size()]))))
                    continue;
                hit = &s;
                hitLength = c.size();
                break;  // longest first
            }
        }
        if (!hit) {
            ++pos;
            continue;
        }
        size_t segEnd = pos, next = pos + hitLength;
        if (hit->lstrip)
            while (segEnd > start && unicode::isSpace(text[segEnd - 1])) --segEnd;
        if (hit->rstrip)
            while (next < text.size() && unicode::isSpace(text[next])) ++next;
        if (Status s = encodeSegment(text.substr(start, segEnd - start), int(start), out); !s) return s.error();
        appendSpecial(hit->id, int(pos), int(pos + hitLength), out);
        start = pos = next;
    }
    if (Status s = encodeSegment(text.substr(start), int(start), out); !s) return s.error();

    for (int id : templateSuffix) appendSpecial(id, 0, 0, out);
    return out;
}

}  // namespace attnscope::core
