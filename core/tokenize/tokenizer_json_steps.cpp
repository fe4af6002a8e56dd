#include "tokenize/tokenizer_json_steps.h"

#include "tokenize/unicode_text.h"

#include <QJsonArray>
#include <QJsonObject>

namespace attnscope::core {
namespace {

Error stepError(const QString& what) { return inputError(QStringLiteral("tokenizer.json: ") + what); }

QString typeOf(const QJsonValue& v) { return v.toObject().value(QStringLiteral("type")).toString(); }

std::optional<SplitBehavior> behaviorFromName(const QString& name) {
    if (name == QLatin1String("Removed")) return SplitBehavior::Removed;
    if (name == QLatin1String("Isolated")) return SplitBehavior::Isolated;
    if (name == QLatin1String("MergedWithPrevious")) return SplitBehavior::MergedWithPrevious;
    if (name == QLatin1String("MergedWithNext")) return SplitBehavior::MergedWithNext;
    if (name == QLatin1String("Contiguous")) return SplitBehavior::Contiguous;
    return std::nullopt;
}

Status addNormalizer(const QJsonValue& v, std::vector<NormalizerPtr>& out) {
    const QJsonObject n = v.toObject();
    const QString type = typeOf(v);
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue& member : n.value(QStringLiteral("normalizers")).toArray())
            if (Status s = addNormalizer(member, out); !s) return s;
    } else if (type == QLatin1String("BertNormalizer")) {
        BertNormalizerOptions o;
        o.cleanText = n.value(QStringLiteral("clean_text")).toBool(true);
        o.handleChineseChars = n.value(QStringLiteral("handle_chinese_chars")).toBool(true);
        o.lowercase = n.value(QStringLiteral("lowercase")).toBool(true);
        const QJsonValue strip = n.value(QStringLiteral("strip_accents"));
        o.stripAccents = strip.isBool() ? std::optional<bool>(strip.toBool()) : std::nullopt;
        out.push_back(bertNormalizer(o));
    } else if (type == QLatin1String("NFC")) {
        out.push_back(unicodeNormalizer(QString::NormalizationForm_C));
    } else if (type == QLatin1String("NFD")) {
        out.push_back(unicodeNormalizer(QString::NormalizationForm_D));
    } else if (type == QLatin1String("NFKC")) {
        out.push_back(unicodeNormalizer(QString::NormalizationForm_KC));
    } else if (type == QLatin1String("NFKD")) {
        out.push_back(unicodeNormalizer(QString::NormalizationForm_KD));
    } else if (type == QLatin1String("Lowercase")) {
        out.push_back(lowercaseNormalizer());
    } else if (type == QLatin1String("StripAccents")) {
        out.push_back(stripAccentsNormalizer());
    } else if (type == QLatin1String("Strip")) {
        out.push_back(stripNormalizer(n.value(QStringLiteral("strip_left")).toBool(true), n.value(QStringLiteral("strip_right")).toBool(true)));
    } else if (type == QLatin1String("Replace")) {
        auto pattern = parsePattern(n.value(QStringLiteral("pattern")), QStringLiteral("normalizer Replace"));
        if (!pattern) return pattern.error();
        out.push_back(replaceRegexNormalizer(*pattern, n.value(QStringLiteral("content")).toString()));
    } else if (type == QLatin1String("Prepend")) {
        out.push_back(prependNormalizer(n.value(QStringLiteral("prepend")).toString()));
    } else {
        return stepError(QStringLiteral("normalizer '%1' is not supported (Sequence, BertNormalizer, NFC, NFD, NFKC, NFKD, "
                                        "Lowercase, StripAccents, Strip, Replace, Prepend)")
                             .arg(type));
    }
    return {};
}

Status addPreTokenizer(const QJsonValue& v, std::vector<PreTokenizerPtr>& out) {
    const QJsonObject p = v.toObject();
    const QString type = typeOf(v);
    auto behavior = [&](const char* fallback) { return behaviorFromName(p.value(QStringLiteral("behavior")).toString(QLatin1String(fallback))); };
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue& member : p.value(QStringLiteral("pretokenizers")).toArray())
            if (Status s = addPreTokenizer(member, out); !s) return s;
    } else if (type == QLatin1String("BertPreTokenizer")) {
        out.push_back(bertPreTokenizer());
    } else if (type == QLatin1String("ByteLevel")) {
        out.push_back(byteLevelPreTokenizer(p.value(QStringLiteral("add_prefix_space")).toBool(true), p.value(QStringLiteral("use_regex")).toBool(true)));
    } else if (type == QLatin1String("Split")) {
        auto pattern = parsePattern(p.value(QStringLiteral("pattern")), QStringLiteral("pre_tokenizer Split"));
        if (!pattern) return pattern.error();
        const auto b = behavior("Isolated");
        if (!b) return stepError(QStringLiteral("Split behavior '%1' is unknown").arg(p.value(QStringLiteral("behavior")).toString()));
        out.push_back(splitPreTokenizer(*pattern, *b, p.value(QStringLiteral("invert")).toBool(false)));
    } else if (type == QLatin1String("Metaspace")) {
        const QString replacement = p.value(QStringLiteral("replacement")).toString(QStringLiteral("\u2581"));
        if (unicode::toUtf32(replacement).size() != 1) return stepError(QStringLiteral("Metaspace replacement must be one character"));
        PrependScheme scheme = p.value(QStringLiteral("add_prefix_space")).toBool(true) ? PrependScheme::Always : PrependScheme::Never;
        const QString named = p.value(QStringLiteral("prepend_scheme")).toString();
        if (named == QLatin1String("always")) scheme = PrependScheme::Always;
        else if (named == QLatin1String("first")) scheme = PrependScheme::First;
        else if (named == QLatin1String("never")) scheme = PrependScheme::Never;
        else if (!named.isEmpty()) return stepError(QStringLiteral("Metaspace prepend_scheme '%1' is unknown").arg(named));
        out.push_back(metaspacePreTokenizer(unicode::toUtf32(replacement).front(), scheme, p.value(QStringLiteral("split")).toBool(true)));
    } else if (type == QLatin1String("Digits")) {
        out.push_back(digitsPreTokenizer(p.value(QStringLiteral("individual_digits")).toBool(false)));
    } else if (type == QLatin1String("Punctuation")) {
        const auto b = behavior("Isolated");
        if (!b) return stepError(QStringLiteral("Punctuation behavior '%1' is unknown").arg(p.value(QStringLiteral("behavior")).toString()));
        out.push_back(punctuationPreTokenizer(*b));
    } else if (type == QLatin1String("Whitespace")) {
        out.push_back(whitespacePreTokenizer());
    } else if (type == QLatin1String("WhitespaceSplit")) {
        out.push_back(whitespaceSplitPreTokenizer());
    } else {
        return stepError(QStringLiteral("pre_tokenizer '%1' is not supported (Sequence, Split, ByteLevel, Metaspace, Digits, "
                                        "Punctuation, Whitespace, WhitespaceSplit, BertPreTokenizer)")
                             .arg(type));
    }
    return {};
}

}  // namespace

Result<QRegularExpression> parsePattern(const QJsonValue& value, const QString& where) {
    const QJsonObject o = value.toObject();
    if (o.value(QStringLiteral("String")).isString()) return literalPattern(o.value(QStringLiteral("String")).toString());
    if (o.value(QStringLiteral("Regex")).isString()) {
        QRegularExpression re = unicodePattern(o.value(QStringLiteral("Regex")).toString());
        if (!re.isValid())
            return stepError(QStringLiteral("%1: the regular expression does not compile (%2 at %3)")
                                 .arg(where, re.errorString())
                                 .arg(re.patternErrorOffset()));
        re.optimize();
        return re;
    }
    return stepError(QStringLiteral("%1: pattern must be {\"String\": ...} or {\"Regex\": ...}").arg(where));
}

Result<std::vector<NormalizerPtr>> parseNormalizers(const QJsonValue& value) {
    std::vector<NormalizerPtr> out;
    if (value.isNull() || value.isUndefined()) return out;
    if (Status s = addNormalizer(value, out); !s) return s.error();
    return out;
}

Result<std::vector<PreTokenizerPtr>> parsePreTokenizers(const QJsonValue& value) {
    std::vector<PreTokenizerPtr> out;
    if (value.isNull() || value.isUndefined()) return out;
    if (Status s = addPreTokenizer(value, out); !s) return s.error();
    return out;
}

}  // namespace attnscope::core
