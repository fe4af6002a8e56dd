#include "model/minimal_pairs.h"

#include "model/builtin_models.h"

#include <QRegularExpression>

namespace attnscope::core {
namespace {

MinimalPair pair(const char* pattern, const char* a, const char* b, const char* refA, const char* refB) {
    const QString p = QString::fromUtf8(pattern);
    return MinimalPair{QString(p).replace(QLatin1String("{}"), QLatin1String(a)), QString(p).replace(QLatin1String("{}"), QLatin1String(b)),
                       QString::fromLatin1(a), QString::fromLatin1(b), QString::fromLatin1(refA), QString::fromLatin1(refB)};
}

}  // namespace

const std::vector<MinimalPair>& minimalPairs() {
    static const std::vector<MinimalPair> pairs = [] {
        std::vector<MinimalPair> list{
            {defaultSentence(), defaultSentenceTwin(), QStringLiteral("tired"), QStringLiteral("wide"), QStringLiteral("animal"),
             QStringLiteral("road")},
            pair("The trophy didn't fit in the suitcase because it was too {}.", "big", "small", "trophy", "suitcase"),
            pair("The dog ate the cake because it was {}.", "hungry", "delicious", "dog", "cake"),
            pair("The man couldn't lift his son because he was so {}.", "weak", "heavy", "man", "son"),
            pair("We poured the water from the bottle into the cup until it was {}.", "empty", "full", "bottle", "cup"),
            pair("The cat slept on the sofa because it was {}.", "tired", "soft", "cat", "sofa"),
            pair("The truck couldn't go through the tunnel because it was too {}.", "tall", "low", "truck", "tunnel"),
            pair("Mary thanked Anna because she was {}.", "grateful", "helpful", "mary", "anna"),
            pair("The teacher scolded the student because she was {}.", "angry", "late", "teacher", "student"),
            pair("The fox hid from the wolf because it was {}.", "scared", "dangerous", "fox", "wolf"),
            pair("The bus passed the bicycle because it was {}.", "faster", "slower", "bus", "bicycle"),
            pair("The bird couldn't open the box because it was too {}.", "weak", "heavy", "bird", "box"),
            pair("The students didn't finish the tests because they were {}.", "lazy", "difficult", "students", "tests"),
            pair("The dog didn't eat the soup because it was {}.", "full", "cold", "dog", "soup"),
            pair("John lent Tom some money because he was {}.", "rich", "poor", "john", "tom"),
        };
        return list;
    }();
    return pairs;
}

std::optional<WordSwap> swapDecidingWord(const QString& text) {
    const QString trimmed = text.trimmed();
    for (const MinimalPair& p : minimalPairs()) {
        if (trimmed == p.first) return WordSwap{p.second, p.firstWord, p.secondWord};
        if (trimmed == p.second) return WordSwap{p.first, p.secondWord, p.firstWord};
    }
    for (const MinimalPair& p : minimalPairs()) {
        for (int side = 0; side < 2; ++side) {
            const QString& from = side == 0 ? p.firstWord : p.secondWord;
            const QString& to = side == 0 ? p.secondWord : p.firstWord;
            const QRegularExpression word(QStringLiteral("\\b%1\\b").arg(from), QRegularExpression::CaseInsensitiveOption);
            const QRegularExpressionMatch m = word.match(text);
            if (!m.hasMatch()) continue;
            QString swapped = text;
            swapped.replace(m.capturedStart(), m.capturedLength(), to);
            return WordSwap{swapped, from, to};
        }
    }
    return std::nullopt;
}

}  // namespace attnscope::core
