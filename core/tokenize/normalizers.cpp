// tokenizer.json normalizers (the tokenizers library's definitions), each keeping an origin for
// every character it writes.
#include "tokenize/text_steps.h"

#include "tokenize/unicode_text.h"

#include <QChar>
#include <QTextBoundaryFinder>

namespace attnscope::core {
namespace {

class BertNormalizerStep : public Normalizer {
public:
    explicit BertNormalizerStep(const BertNormalizerOptions& o) : m_options(o) {}
    void apply(Piece& text) const override { text = bertNormalize(text, m_options); }

private:
    BertNormalizerOptions m_options;
};

// Per grapheme cluster: normalisation never composes across one, so each cluster's characters map
// back to it (one to one when its length is unchanged, else all to its first character).
class UnicodeStep : public Normalizer {
public:
    explicit UnicodeStep(QString::NormalizationForm form) : m_form(form) {}
    void apply(Piece& text) const override {
        const QString s = unicode::fromUtf32(text.text);
        if (s.normalized(m_form) == s) return;
        Piece out;
        QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, s);
        qsizetype from = 0;
        size_t at = 0;  // code point index of `from`
        for (qsizetype to = finder.toNextBoundary(); to != -1; to = finder.toNextBoundary()) {
            const std::u32string cluster = unicode::toUtf32(s.mid(from, to - from));
            const std::u32string normal = unicode::toUtf32(unicode::fromUtf32(cluster).normalized(m_form));
            for (size_t i = 0; i < normal.size(); ++i) {
                out.text.push_back(normal[i]);
                out.origin.push_back(text.origin[at + (normal.size() == cluster.size() ? i : 0)]);
            }
            at += cluster.size();
            from = to;
        }
        text = std::move(out);
    }

private:
    QString::NormalizationForm m_form;
};

// Each character through a function that may return several (or none).
template <typename Map>
void mapChars(Piece& text, Map map) {
    Piece out;
    for (size_t i = 0; i < text.text.size(); ++i)
        for (char32_t c : map(text.text[i])) {
            out.text.push_back(c);
            out.origin.push_back(text.origin[i]);
        }
    text = std::move(out);
}

class LowercaseStep : public Normalizer {
public:
    void apply(Piece& text) const override { mapChars(text, [](char32_t c) { return unicode::toLower(c); }); }
};

class StripAccentsStep : public Normalizer {
public:
    void apply(Piece& text) const override {
        mapChars(text, [](char32_t c) {
            return QChar::category(c) == QChar::Mark_NonSpacing ? std::u32string() : std::u32string(1, c);
        });
    }
};

class StripStep : public Normalizer {
public:
    StripStep(bool left, bool right) : m_left(left), m_right(right) {}
    void apply(Piece& text) const override {
        size_t b = 0, e = text.text.size();
        while (m_left && b < e && unicode::isSpace(text.text[b])) ++b;
        while (m_right && e > b && unicode::isSpace(text.text[e - 1])) --e;
        text.text = text.text.substr(b, e - b);
        text.origin = std::vector<int>(text.origin.begin() + qsizetype(b), text.origin.begin() + qsizetype(e));
    }

private:
    bool m_left, m_right;
};

// Every match of the pattern becomes `content`, its characters taking the match's first origin.
class ReplaceStep : public Normalizer {
public:
    ReplaceStep(const QRegularExpression& pattern, const QString& content)
        : m_pattern(pattern), m_content(unicode::toUtf32(content)) {}
    void apply(Piece& text) const override {
        const QString s = unicode::fromUtf32(text.text);
        std::vector<size_t> at(size_t(s.size()) + 1);  // UTF-16 index -> code point index
        for (qsizetype i = 0, cp = 0; i <= s.size(); ++i) {
            at[size_t(i)] = size_t(cp);
            if (i < s.size() && !(s[i].isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate())) ++cp;
        }
        Piece out;
        size_t copied = 0;
        auto copyUpTo = [&](size_t end) {
            for (; copied < end; ++copied) {
                out.text.push_back(text.text[copied]);
                out.origin.push_back(text.origin[copied]);
            }
        };
        for (auto it = m_pattern.globalMatch(s); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const size_t b = at[size_t(m.capturedStart())], e = at[size_t(m.capturedEnd())];
            if (e == b) continue;
            copyUpTo(b);
            for (char32_t c : m_content) {
                out.text.push_back(c);
                out.origin.push_back(text.origin[b]);
            }
            copied = e;
        }
        copyUpTo(text.text.size());
        text = std::move(out);
    }

private:
    QRegularExpression m_pattern;
    std::u32string m_content;
};

class PrependStep : public Normalizer {
public:
    explicit PrependStep(const QString& prefix) : m_prefix(unicode::toUtf32(prefix)) {}
    void apply(Piece& text) const override {
        if (text.text.empty()) return;
        text.text.insert(0, m_prefix);
        text.origin.insert(text.origin.begin(), m_prefix.size(), text.origin.front());
    }

private:
    std::u32string m_prefix;
};

}  // namespace

NormalizerPtr bertNormalizer(const BertNormalizerOptions& options) { return std::make_shared<BertNormalizerStep>(options); }
NormalizerPtr unicodeNormalizer(QString::NormalizationForm form) { return std::make_shared<UnicodeStep>(form); }
NormalizerPtr lowercaseNormalizer() { return std::make_shared<LowercaseStep>(); }
NormalizerPtr stripAccentsNormalizer() { return std::make_shared<StripAccentsStep>(); }
NormalizerPtr stripNormalizer(bool left, bool right) { return std::make_shared<StripStep>(left, right); }
NormalizerPtr replaceNormalizer(const QString& literal, const QString& content) {
    return std::make_shared<ReplaceStep>(literalPattern(literal), content);
}
NormalizerPtr replaceRegexNormalizer(const QRegularExpression& pattern, const QString& content) {
    return std::make_shared<ReplaceStep>(pattern, content);
}
NormalizerPtr prependNormalizer(const QString& prefix) { return std::make_shared<PrependStep>(prefix); }

QRegularExpression literalPattern(const QString& text) {
    return QRegularExpression(QRegularExpression::escape(text), QRegularExpression::UseUnicodePropertiesOption);
}

QRegularExpression unicodePattern(const QString& pattern) {
    return QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption);
}

}  // namespace attnscope::core
