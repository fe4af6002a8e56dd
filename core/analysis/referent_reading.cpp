#include "analysis/referent_reading.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace attnscope::core {
namespace {

bool isPronoun(const QString& token) {
    static const QSet<QString> pronouns{QStringLiteral("it"),  QStringLiteral("he"),  QStringLiteral("she"), QStringLiteral("they"),
                                        QStringLiteral("him"), QStringLiteral("her"), QStringLiteral("them")};
    return pronouns.contains(token.toLower());
}

bool contains(const std::vector<int>& sorted, int id) { return std::binary_search(sorted.begin(), sorted.end(), id); }

QString quoted(const QString& s) { return QStringLiteral("“%1”").arg(s); }

}  // namespace

bool readsReferents(const ModelConfig& config) { return config.coreferenceHead.has_value(); }

std::vector<ReferentReading> readReferents(const ModelConfig& config, const Tokenizer& tokenizer, const QString& text,
                                           const Encoding& e, const AttentionTrace& trace, const std::vector<int>& predictedIds) {
    std::vector<ReferentReading> out;
    if (!config.coreferenceHead || e.size() != trace.tokens()) return out;
    const auto [layer, head] = *config.coreferenceHead;
    // Words with a piece the model never trained on (or [UNK]), as typed.
    QStringList unknown;
    const std::u32string points = text.toStdU32String();
    const int unk = tokenizer.id(QStringLiteral("[UNK]"));
    for (int i = 0; i < e.size(); ++i) {
        if (e.special[size_t(i)]) continue;
        const int id = e.ids[size_t(i)];
        const bool untrained = id == unk || (!config.trainedTokens.empty() && !contains(config.trainedTokens, id));
        if (!untrained) continue;
        // Widen the piece to its whole word (offsets count code points).
        const int size = int(points.size());
        int start = std::clamp(e.offsets[size_t(i)].first, 0, size), end = std::clamp(e.offsets[size_t(i)].second, start, size);
        while (start > 0 && QChar::isLetterOrNumber(points[size_t(start - 1)])) --start;
        while (end < size && QChar::isLetterOrNumber(points[size_t(end)])) ++end;
        const QString word = QString::fromStdU32String(points.substr(size_t(start), size_t(end - start)));
        if (!word.isEmpty() && !unknown.contains(word)) unknown << word;
    }
    for (int i = 0; i < e.size(); ++i) {
        if (e.special[size_t(i)] || !isPronoun(e.tokens[i])) continue;
        ReferentReading r;
        r.pronoun = i;
        r.layer = layer;
        r.head = head;
        r.threshold = config.coreferenceThreshold;
        r.unknownWords = unknown;
        const std::vector<float> row = trace.probsRow(layer, head, i);  // (n)
        r.peak = int(std::max_element(row.begin(), row.end()) - row.begin());
        r.share = row[size_t(r.peak)];
        r.predictedId = i < int(predictedIds.size()) ? predictedIds[size_t(i)] : -1;
        const bool predictedHere = std::find(e.ids.begin(), e.ids.end(), r.predictedId) != e.ids.end();
        const bool predictedNoun = config.referentTokens.empty() || contains(config.referentTokens, r.predictedId);
        if (!unknown.isEmpty()) r.kind = ReferentReading::Kind::UnknownWords;
        else if (r.predictedId >= 0 && (!predictedHere || !predictedNoun)) r.kind = ReferentReading::Kind::NotANoun;
        else if (r.predictedId >= 0 && e.ids[size_t(r.peak)] != r.predictedId) r.kind = ReferentReading::Kind::Disagree;
        else if (r.share < r.threshold) r.kind = ReferentReading::Kind::WeakPeak;
        else r.kind = ReferentReading::Kind::Resolved;
        out.push_back(r);
    }
    if (out.empty()) out.push_back(ReferentReading{});
    return out;
}

QString describeReading(const ReferentReading& r, const QStringList& labels) {
    auto tr = [](const char* s) { return QCoreApplication::translate("ReferentReading", s); };
    const QString pronoun = quoted(labels.value(r.pronoun));
    const QString head = QStringLiteral("layer %1 · head %2").arg(r.layer).arg(r.head);  // 0-based, as the views' titles
    const QString percent = QString::number(qRound(r.share * 100)) + QLatin1Char('%');
    switch (r.kind) {
        case ReferentReading::Kind::NoPronoun:
            return tr("No pronoun to resolve: this model learned sentences with it, he, she or they in them.");
        case ReferentReading::Kind::UnknownWords:
            return tr("Outside what this model learned: it never saw %1 in training, so what it says about %2 would be a guess.")
                .arg(r.unknownWords.size() == 1 ? quoted(r.unknownWords[0])
                                                : quoted(r.unknownWords.mid(0, 3).join(QStringLiteral("”, “"))), pronoun);
        case ReferentReading::Kind::NotANoun:
            return tr("Outside what this model learned: its best guess for %1 is not a noun of this sentence.").arg(pronoun);
        case ReferentReading::Kind::Disagree:
            return tr("Not sure: %1 points %2 at %3, but the prediction names another word.")
                .arg(head, pronoun, quoted(labels.value(r.peak)));
        case ReferentReading::Kind::WeakPeak:
            return tr("Not sure: %1 gives no word more than %2 of the attention from %3 (its right answers get at least %4%).")
                .arg(head, percent, pronoun)
                .arg(qRound(r.threshold * 100));
        case ReferentReading::Kind::Resolved:
            return tr("%1 → %2 (%3 gives it %4 of the attention from %1)").arg(pronoun, quoted(labels.value(r.peak)), head, percent);
    }
    return {};
}

}  // namespace attnscope::core
