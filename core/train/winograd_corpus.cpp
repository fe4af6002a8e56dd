#include "train/winograd_corpus.h"

#include <QHash>
#include <QSet>

namespace attnscope::core::train {
namespace {

enum Kind { Animal, Way, Item, Container, Food, Person };

const QStringList kNouns[] = {
    {"animal", "dog", "cat", "horse", "rabbit", "fox", "cow", "goat", "deer", "bear"},
    {"road", "street", "river", "bridge", "path", "highway", "canal", "track"},
    {"trophy", "ball", "book", "toy", "bottle", "lamp", "stone", "vase"},
    {"suitcase", "box", "bag", "basket", "drawer", "crate"},
    {"apple", "cake", "bread", "soup", "cheese"},
    {"teacher", "student", "doctor", "farmer", "child", "nurse", "man", "woman", "girl", "boy"},
};

struct Template {
    Kind a, b;
    const char* pattern;  // {A} {B} {NOT} {PRON} {BE} {P}
    QStringList forA;     // property words that make the pronoun mean A
    QStringList forB;     // ... B
    bool people;          // he/she/they instead of it
};

const Template kTemplates[] = {
    {Animal, Way, "{ART} {A} {NOT} cross the {B} because {PRON} {BE} {P}", {"tired", "scared", "lazy", "old", "sick"},
     {"wide", "busy", "icy", "flooded", "dangerous"}, false},
    {Item, Container, "{ART} {A} {NOT} fit in the {B} because {PRON} {BE} too {P}", {"big", "large", "tall"},
     {"small", "narrow", "full"}, false},
    {Animal, Animal, "{ART} {A} chased the {B} until {PRON} {BE} {P}", {"tired", "exhausted"}, {"lost", "caught", "hidden"}, false},
    {Animal, Item, "{ART} {A} {NOTC} lift the {B} because {PRON} {BE} too {P}", {"weak", "small", "tired"},
     {"heavy", "big", "large"}, false},
    {Animal, Food, "{ART} {A} ate the {B} because {PRON} {BE} {P}", {"hungry", "greedy"}, {"fresh", "delicious", "sweet"}, false},
    {Animal, Item, "{ART} {A} dropped the {B} because {PRON} {BE} {P}", {"tired", "sleepy"}, {"hot", "wet", "slippery"}, false},
    {Person, Person, "{ART} {A} thanked the {B} because {PRON} {BE} {P}", {"grateful", "pleased"}, {"helpful", "kind", "generous"}, true},
    {Person, Person, "{ART} {A} scolded the {B} because {PRON} {BE} {P}", {"angry", "strict", "upset"}, {"late", "rude", "noisy"}, true},
    {Animal, Animal, "{ART} {A} hid from the {B} because {PRON} {BE} {P}", {"scared", "afraid", "small"},
     {"angry", "hungry", "dangerous"}, false},
    {Person, Person, "{ART} {A} passed the {B} because {PRON} {BE} {P}", {"faster", "quicker"}, {"slower", "tired"}, true},
};

template <typename T>
const T& pick(const QList<T>& list, std::mt19937& rng) {
    return list[int(std::uniform_int_distribution<int>(0, int(list.size()) - 1)(rng))];
}

}  // namespace

WinogradCorpus::WinogradCorpus(uint32_t seed) : m_seed(seed) {}

int WinogradCorpus::templateCount() const { return int(std::size(kTemplates)); }

QStringList WinogradCorpus::nouns() const {
    QStringList all;
    for (const QStringList& k : kNouns) all += k;
    return all;
}

QStringList WinogradCorpus::properties() const {
    QSet<QString> all;
    for (const Template& t : kTemplates) {
        for (const QString& p : t.forA) all.insert(p);
        for (const QString& p : t.forB) all.insert(p);
    }
    QStringList list(all.begin(), all.end());
    list.sort();
    return list;
}

bool WinogradCorpus::isHeldOut(const QString& a, const QString& b, const QString& property) const {
    const uint32_t h = uint32_t(qHash(a + QLatin1Char('|') + b + QLatin1Char('|') + property, m_seed));
    return h % 100 < 12;  // about 12% of the combinations
}

WinogradSentence WinogradCorpus::make(int ti, const QString& a, const QString& b, const QString& property,
                                      std::mt19937& rng) const {
    const Template& t = kTemplates[ti];
    WinogradSentence s;
    s.nounA = a;
    s.nounB = b;
    s.property = property;
    s.templateIndex = ti;
    s.referent = t.forA.contains(property) ? a : b;
    s.pronoun = t.people ? pick(QStringList{"he", "she", "they"}, rng) : QStringLiteral("it");
    QString text = QString::fromLatin1(t.pattern);
    text.replace(QLatin1String("{ART}"), pick(QStringList{"The", "The", "A", "That"}, rng));
    text.replace(QLatin1String("{A}"), a);
    text.replace(QLatin1String("{B}"), b);
    text.replace(QLatin1String("{NOT}"), pick(QStringList{"didn't", "did not", "wouldn't", "couldn't"}, rng));
    text.replace(QLatin1String("{NOTC}"), pick(QStringList{"couldn't", "could not", "didn't"}, rng));
    text.replace(QLatin1String("{PRON}"), s.pronoun);
    text.replace(QLatin1String("{BE}"), s.pronoun == QLatin1String("they") ? QStringLiteral("were")
                                                                         : pick(QStringList{"was", "was", "is"}, rng));
    text.replace(QLatin1String("{P}"), property);
    s.text = text + pick(QStringList{".", ".", ".", "!"}, rng);
    return s;
}

WinogradSentence WinogradCorpus::sample(std::mt19937& rng, bool wantHeldOut) const {
    for (;;) {
        const int ti = std::uniform_int_distribution<int>(0, templateCount() - 1)(rng);
        const Template& t = kTemplates[ti];
        const QString a = pick(kNouns[t.a], rng);
        const QString b = pick(kNouns[t.b], rng);
        if (a == b) continue;
        const QString p = pick(std::uniform_int_distribution<int>(0, 1)(rng) ? t.forA : t.forB, rng);
        if (isHeldOut(a, b, p) == wantHeldOut) return make(ti, a, b, p, rng);
    }
}

WinogradSentence WinogradCorpus::trainingSentence(std::mt19937& rng) const { return sample(rng, false); }

std::vector<WinogradSentence> WinogradCorpus::heldOut(int count) const {
    std::mt19937 rng(m_seed * 7919u + 17u);
    std::vector<WinogradSentence> out;
    for (int i = 0; i < count; ++i) out.push_back(sample(rng, true));
    return out;
}

QStringList WinogradCorpus::surfaceTexts() const {
    QStringList texts;
    std::mt19937 rng(1);
    for (int ti = 0; ti < templateCount(); ++ti) {
        const Template& t = kTemplates[ti];
        for (const QString& p : t.forA + t.forB)
            for (int r = 0; r < 12; ++r) texts << make(ti, kNouns[t.a][0], kNouns[t.b][1], p, rng).text;
    }
    texts << nouns().join(QLatin1Char(' ')) << properties().join(QLatin1Char(' '));
    return texts;
}

}  // namespace attnscope::core::train
