#include "train/probe_sentences.h"

#include <QFile>
#include <QRegularExpression>

namespace attnscope::core::train {
namespace {

constexpr qint64 kMaxProbeFileBytes = 4 << 20;
constexpr int kMaxSentenceChars = 1000;

// The first whole-word, case-insensitive occurrence of word in text, in code points, or -1.
int findWord(const QString& text, const QString& word) {
    const QRegularExpression re(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(word)),
                                QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? int(text.left(m.capturedStart()).toStdU32String().size()) : -1;
}

}  // namespace

Result<std::vector<WinogradSentence>> parseProbeSentences(const QByteArray& bytes) {
    std::vector<WinogradSentence> out;
    const QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = QString(lines[i]).remove(QLatin1Char('\r'));
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#'))) continue;
        auto bad = [&](const QString& why) { return inputError(QStringLiteral("line %1: %2").arg(i + 1).arg(why)); };
        const QStringList cells = line.split(QLatin1Char('\t'));
        if (cells.size() != 3) return bad(QStringLiteral("expected sentence, pronoun and referent separated by tabs"));
        WinogradSentence s;
        s.text = cells[0].trimmed();
        s.pronoun = cells[1].trimmed().toLower();
        s.referent = cells[2].trimmed().toLower();
        if (s.text.isEmpty() || s.pronoun.isEmpty() || s.referent.isEmpty()) return bad(QStringLiteral("an empty cell"));
        if (s.text.size() > kMaxSentenceChars) return bad(QStringLiteral("the sentence is longer than %1 characters").arg(kMaxSentenceChars));
        s.pronounStart = findWord(s.text, s.pronoun);
        s.referentStart = findWord(s.text, s.referent);
        if (s.pronounStart < 0) return bad(QStringLiteral("“%1” is not a word of the sentence").arg(s.pronoun));
        if (s.referentStart < 0) return bad(QStringLiteral("“%1” is not a word of the sentence").arg(s.referent));
        if (s.referentStart == s.pronounStart) return bad(QStringLiteral("the pronoun cannot be its own referent"));
        s.pronounLength = int(s.pronoun.toStdU32String().size());
        s.referentLength = int(s.referent.toStdU32String().size());
        out.push_back(s);
    }
    if (out.empty()) return inputError(QStringLiteral("no sentences (expected sentence TAB pronoun TAB referent per line)"));
    return out;
}

Result<std::vector<WinogradSentence>> readProbeSentences(const QString& path) {
    QFile file(path);
    if (!file.exists()) return inputError(QStringLiteral("%1: no such file").arg(path));
    if (!file.open(QIODevice::ReadOnly)) return internalError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxProbeFileBytes) return inputError(QStringLiteral("%1: larger than 4 MiB; not a sentence list").arg(path));
    const QByteArray bytes = file.read(kMaxProbeFileBytes + 1);
    auto parsed = parseProbeSentences(bytes);
    if (!parsed) return inputError(path + QStringLiteral(": ") + parsed.message());
    return parsed;
}

}  // namespace attnscope::core::train
