// tokenizer.json pre-tokenizers (the tokenizers library's definitions): each cuts every piece into
// smaller ones; characters keep their origins.
#include "tokenize/byte_level.h"
#include "tokenize/text_steps.h"
#include "tokenize/unicode_text.h"

#include <QChar>

namespace attnscope::core {
namespace {

using Span = std::pair<size_t, size_t>;  // [begin, end) in code points of a piece

Piece slice(const Piece& p, size_t b, size_t e) {
    Piece out;
    out.text = p.text.substr(b, e - b);
    out.origin.assign(p.origin.begin() + qsizetype(b), p.origin.begin() + qsizetype(e));
    return out;
}

// The tokenizers library's split: the piece as alternating gaps and matches, then grouped by the
// behaviour (consecutive matches stay apart except in Contiguous), empty pieces dropped.
void splitByMatches(const Piece& p, const std::vector<Span>& matches, SplitBehavior behavior, bool invert,
                    std::vector<Piece>& out) {
    std::vector<std::pair<Span, bool>> parts;
    size_t prev = 0;
    for (const Span& m : matches) {
        if (m.first != prev) parts.push_back({{prev, m.first}, invert});
        parts.push_back({m, !invert});
        prev = m.second;
    }
    if (prev != p.text.size()) parts.push_back({{prev, p.text.size()}, invert});

    std::vector<Span> groups;
    bool previousMatch = false;
    switch (behavior) {
        case SplitBehavior::Removed:
            for (const auto& [s, match] : parts)
                if (!match) groups.push_back(s);
            break;
        case SplitBehavior::Isolated:
            for (const auto& part : parts) groups.push_back(part.first);
            break;
        case SplitBehavior::MergedWithPrevious:
            for (const auto& [s, match] : parts) {
                if (match && !previousMatch && !groups.empty()) groups.back().second = s.second;
                else groups.push_back(s);
                previousMatch = match;
            }
            break;
        case SplitBehavior::MergedWithNext:
            for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
                if (it->second && !previousMatch && !groups.empty()) groups.back().first = it->first.first;
                else groups.push_back(it->first);
                previousMatch = it->second;
            }
            std::reverse(groups.begin(), groups.end());
            break;
        case SplitBehavior::Contiguous:
            for (size_t i = 0; i < parts.size(); ++i) {
                if (i > 0 && parts[i].second == previousMatch) groups.back().second = parts[i].first.second;
                else groups.push_back(parts[i].first);
                previousMatch = parts[i].second;
            }
            break;
    }
    for (const Span& g : groups)
        if (g.second > g.first) out.push_back(slice(p, g.first, g.second));
}

// A pre-tokenizer that splits each piece at the spans `find` returns.
class SpanSplit : public PreTokenizer {
public:
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        for (const Piece& p : pieces) splitByMatches(p, find(p), m_behavior, m_invert, out);
        pieces = std::move(out);
    }

protected:
    SpanSplit(SplitBehavior behavior, bool invert) : m_behavior(behavior), m_invert(invert) {}
    virtual std::vector<Span> find(const Piece& p) const = 0;

private:
    SplitBehavior m_behavior;
    bool m_invert;
};

class RegexSplit : public SpanSplit {
public:
    RegexSplit(const QRegularExpression& pattern, SplitBehavior behavior, bool invert) : SpanSplit(behavior, invert), m_pattern(pattern) {}

protected:
    std::vector<Span> find(const Piece& p) const override {
        const QString s = unicode::fromUtf32(p.text);
        std::vector<size_t> at(size_t(s.size()) + 1);  // UTF-16 index -> code point index
        for (qsizetype i = 0, cp = 0; i <= s.size(); ++i) {
            at[size_t(i)] = size_t(cp);
            if (i < s.size() && !(s[i].isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate())) ++cp;
        }
        std::vector<Span> spans;
        for (auto it = m_pattern.globalMatch(s); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength() > 0) spans.push_back({at[size_t(m.capturedStart())], at[size_t(m.capturedEnd())]});
        }
        return spans;
    }

private:
    QRegularExpression m_pattern;
};

// Every character the predicate accepts is a match of its own.
template <typename Predicate>
class CharSplit : public SpanSplit {
public:
    CharSplit(Predicate predicate, SplitBehavior behavior) : SpanSplit(behavior, false), m_predicate(predicate) {}

protected:
    std::vector<Span> find(const Piece& p) const override {
        std::vector<Span> spans;
        for (size_t i = 0; i < p.text.size(); ++i)
            if (m_predicate(p.text[i])) spans.push_back({i, i + 1});
        return spans;
    }

private:
    Predicate m_predicate;
};

template <typename Predicate>
PreTokenizerPtr charSplit(Predicate predicate, SplitBehavior behavior) {
    return std::make_shared<CharSplit<Predicate>>(predicate, behavior);
}

class BertPreTokenizerStep : public PreTokenizer {
public:
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        for (const Piece& p : pieces)
            for (Piece& q : bertSplit(p)) out.push_back(std::move(q));
        pieces = std::move(out);
    }
};

class ByteLevelStep : public PreTokenizer {
public:
    ByteLevelStep(bool prefix, bool regex) : m_prefix(prefix), m_regex(regex) {}
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        for (const Piece& p : pieces)
            for (Piece& q : byteLevelSplit(p, m_prefix, m_regex)) out.push_back(std::move(q));
        pieces = std::move(out);
    }

private:
    bool m_prefix, m_regex;
};

class MetaspaceStep : public PreTokenizer {
public:
    MetaspaceStep(char32_t replacement, PrependScheme scheme, bool split) : m_rep(replacement), m_scheme(scheme), m_split(split) {}
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        for (Piece p : pieces) {
            for (char32_t& c : p.text)
                if (c == U' ') c = m_rep;
            const bool prepend = !p.text.empty() && p.text.front() != m_rep &&
                                 (m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && p.origin.front() == 0));
            if (prepend) {
                p.text.insert(p.text.begin(), m_rep);
                p.origin.insert(p.origin.begin(), p.origin.front());
            }
            if (!m_split) {
                if (!p.text.empty()) out.push_back(std::move(p));
                continue;
            }
            std::vector<Span> spans;
            for (size_t i = 0; i < p.text.size(); ++i)
                if (p.text[i] == m_rep) spans.push_back({i, i + 1});
            splitByMatches(p, spans, SplitBehavior::MergedWithNext, false, out);
        }
        pieces = std::move(out);
    }

private:
    char32_t m_rep;
    PrependScheme m_scheme;
    bool m_split;
};

// \w as the Whitespace pre-tokenizer's pattern \w+|[^\w\s]+ reads it: letters, digits, _ and combining marks.
bool isRegexWordChar(char32_t c) { return QChar::isLetterOrNumber(c) || c == U'_' || QChar::category(c) == QChar::Mark_NonSpacing; }

}  // namespace

PreTokenizerPtr bertPreTokenizer() { return std::make_shared<BertPreTokenizerStep>(); }
PreTokenizerPtr byteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) { return std::make_shared<ByteLevelStep>(addPrefixSpace, useRegex); }
PreTokenizerPtr splitPreTokenizer(const QRegularExpression& pattern, SplitBehavior behavior, bool invert) {
    return std::make_shared<RegexSplit>(pattern, behavior, invert);
}
PreTokenizerPtr metaspacePreTokenizer(char32_t replacement, PrependScheme scheme, bool split) {
    return std::make_shared<MetaspaceStep>(replacement, scheme, split);
}
PreTokenizerPtr digitsPreTokenizer(bool individual) {
    return charSplit([](char32_t c) { return c >= U'0' && c <= U'9'; }, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}
PreTokenizerPtr punctuationPreTokenizer(SplitBehavior behavior) {
    return charSplit([](char32_t c) { return unicode::isBertPunctuation(c); }, behavior);
}
PreTokenizerPtr whitespacePreTokenizer() {
    // \w+|[^\w\s]+ kept, the rest (white space) removed: a cut wherever the class changes.
    class Step : public PreTokenizer {
    public:
        void apply(std::vector<Piece>& pieces) const override {
            std::vector<Piece> out;
            for (const Piece& p : pieces)
                for (size_t i = 0; i < p.text.size();) {
                    if (unicode::isSpace(p.text[i])) {
                        ++i;
                        continue;
                    }
                    const bool word = isRegexWordChar(p.text[i]);
                    size_t j = i + 1;
                    while (j < p.text.size() && !unicode::isSpace(p.text[j]) && isRegexWordChar(p.text[j]) == word) ++j;
                    out.push_back(slice(p, i, j));
                    i = j;
                }
            pieces = std::move(out);
        }
    };
    return std::make_shared<Step>();
}
PreTokenizerPtr whitespaceSplitPreTokenizer() {
    return charSplit([](char32_t c) { return unicode::isSpace(c); }, SplitBehavior::Removed);
}

}  // namespace attnscope::core
