#include "train/winograd_corpus.h"

#include "train/winograd_lexicon.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace attnscope::core::train {
namespace {

// Markers kept in the text while it is assembled: the pronoun, the referent's start and end.
const QChar kPronounMark(0x01), kReferentStart(0x02), kReferentEnd(0x03);

template <typename T>
const T& pick(const QList<T>& list, std::mt19937& rng) {
    return list[int(std::uniform_int_distribution<int>(0, int(list.size()) - 1)(rng))];
}
template <typename T>
const T& pick(const std::vector<T>& list, std::mt19937& rng) {
    return list[size_t(std::uniform_int_distribution<int>(0, int(list.size()) - 1)(rng))];
}
bool chance(std::mt19937& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

bool isPerson(Category c) { return c == Category::Person || c == Category::Name; }

struct Mention {
    Noun noun;
    Category category;
    bool plural = false;
    Gender gender = Gender::Neutral;  // for a singular person: he or she
    QString phrase;                   // "the brown suitcase", marked when it is the referent
};

QString subjectPronoun(const Mention& m) {
    if (m.plural) return QStringLiteral("they");
    if (!isPerson(m.category)) return QStringLiteral("it");
    return m.gender == Gender::Female ? QStringLiteral("she") : QStringLiteral("he");
}
QString objectPronoun(const Mention& m) {
    const QString s = subjectPronoun(m);
    if (s == QLatin1String("they")) return QStringLiteral("them");
    if (s == QLatin1String("he")) return QStringLiteral("him");
    if (s == QLatin1String("she")) return QStringLiteral("her");
    return s;
}

// "{A} doesn't" -> "{A} don't" for a plural subject (and was/wasn't).
QString agree(QString text, const QString& slot, bool plural) {
    if (!plural) return text;
    text.replace(slot + QLatin1String(" doesn't"), slot + QLatin1String(" don't"));
    text.replace(slot + QLatin1String(" wasn't"), slot + QLatin1String(" weren't"));
    text.replace(slot + QLatin1String(" was "), slot + QLatin1String(" were "));
    return text;
}

QString capitaliseMarked(QString text) {
    for (int i = text.indexOf(QLatin1Char('^')); i >= 0; i = text.indexOf(QLatin1Char('^'))) {
        text.remove(i, 1);
        for (int j = i; j < text.size(); ++j)
            if (text[j].isLetter()) {
                text[j] = text[j].toUpper();
                break;
            }
    }
    return text;
}

}  // namespace

WinogradCorpus::WinogradCorpus(uint32_t seed) : m_seed(seed) {
    // A property is held out with a frame only where it points the same way (A or B) in every
    // frame that has it, and in at least two: what it means there can be learnt elsewhere.
    QHash<QString, QSet<int>> sides;
    QHash<QString, int> uses;
    for (const Frame& f : frames()) {
        for (const Property& p : f.forA) sides[p.text].insert(0), ++uses[p.text];
        for (const Property& p : f.forB) sides[p.text].insert(1), ++uses[p.text];
    }
    for (int side = 0; side < 2; ++side)
        for (int fi = 0; fi < frameCount(); ++fi) {
            const std::vector<Property>& list = side == 0 ? frames()[size_t(fi)].forA : frames()[size_t(fi)].forB;
            std::vector<bool> held;
            for (const Property& p : list) {
                const bool eligible = sides[p.text].size() == 1 && uses[p.text] >= 2 && list.size() >= 3;
                held.push_back(eligible && hash(QStringLiteral("prop|%1|%2").arg(fi).arg(p.text)) % 100 < 25);
            }
            m_heldOutProperty[side].push_back(held);
        }
}

uint32_t WinogradCorpus::hash(const QString& key) const {
    uint32_t h = 2166136261u ^ m_seed;  // FNV-1a: the same split on every platform and Qt version
    for (QChar c : key) {
        h ^= c.unicode();
        h *= 16777619u;
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

int WinogradCorpus::frameCount() const { return int(frames().size()); }
int WinogradCorpus::syntaxCount() const { return int(syntaxes().size()); }

bool WinogradCorpus::applies(int fi, int si) const {
    const Frame& f = frames()[size_t(fi)];
    const Syntax& s = syntaxes()[size_t(si)];
    if (s.becauseOnly && f.connector != QLatin1String("because")) return false;
    if (s.pattern.contains(QLatin1String("{Q}")) && f.question.isEmpty()) return false;
    if (s.pattern.contains(QLatin1String("{T}")) && f.attempt.isEmpty()) return false;
    if (s.pattern.contains(QLatin1String("{P}")) && f.passive.isEmpty()) return false;
    return true;
}

int WinogradCorpus::shapeCount() const {
    int n = 0;
    for (int f = 0; f < frameCount(); ++f)
        for (int s = 0; s < syntaxCount(); ++s) n += applies(f, s);
    return n;
}

bool WinogradCorpus::isHeldOutPair(const QString& a, const QString& b) const {
    const QString key = a < b ? a + QLatin1Char('|') + b : b + QLatin1Char('|') + a;
    return hash(QStringLiteral("pair|") + key) % 100 < 10;
}

bool WinogradCorpus::isHeldOutShape(int frame, int syntax) const {
    return hash(QStringLiteral("shape|%1|%2").arg(frame).arg(syntax)) % 100 < 12;
}

bool WinogradCorpus::isHeldOutProperty(int frame, const QString& property) const {
    const Frame& f = frames()[size_t(frame)];
    for (int side = 0; side < 2; ++side) {
        const std::vector<Property>& list = side == 0 ? f.forA : f.forB;
        for (size_t i = 0; i < list.size(); ++i)
            if (list[i].text == property && m_heldOutProperty[side][size_t(frame)][i]) return true;
    }
    return false;
}

bool WinogradCorpus::isHeldOut(const WinogradSentence& s) const {
    return isHeldOutPair(s.nounA, s.nounB) || isHeldOutShape(s.frame, s.syntax) || isHeldOutProperty(s.frame, s.property);
}

bool WinogradCorpus::make(int fi, int si, bool sideA, int pi, std::mt19937& rng, bool wantHeldOut, WinogradSentence& out) const {
    const Frame& f = frames()[size_t(fi)];
    const Syntax& syntax = syntaxes()[size_t(si)];
    const Property& property = (sideA ? f.forA : f.forB)[size_t(pi)];
    const auto& lexicon = nounsByCategory();

    Mention a, b;
    a.category = pick(f.a, rng);
    b.category = pick(f.b, rng);
    a.noun = pick(lexicon[size_t(a.category)], rng);
    b.noun = pick(lexicon[size_t(b.category)], rng);
    if (a.noun.singular == b.noun.singular) return false;
    if (isHeldOutPair(a.noun.singular, b.noun.singular) != wantHeldOut) return false;

    // Number: mostly both singular, some both plural (semantics decides), some mixed (agreement helps).
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    a.plural = r >= 0.65 && (r < 0.85 || chance(rng, 0.5));
    b.plural = r >= 0.65 && (r < 0.85 || !a.plural);
    if (a.noun.plural.isEmpty()) a.plural = false;
    if (b.noun.plural.isEmpty()) b.plural = false;
    Mention& ref = sideA ? a : b;
    Mention& other = sideA ? b : a;
    for (Mention* m : {&a, &b})
        m->gender = m->noun.gender != Gender::Neutral ? m->noun.gender : (chance(rng, 0.5) ? Gender::Male : Gender::Female);
    // Two people: usually the other one could be meant too ("he" for two men), so the property decides.
    if (isPerson(ref.category) && isPerson(other.category) && !ref.plural && !other.plural && other.noun.gender != Gender::Neutral &&
        other.noun.gender != ref.gender && chance(rng, 0.75))
        return false;
    if (isPerson(ref.category) && isPerson(other.category) && other.noun.gender == Gender::Neutral) other.gender = ref.gender;
    const QString pronoun = subjectPronoun(ref);
    if (syntax.speaker && (pronoun == QLatin1String("he") || pronoun == QLatin1String("she"))) return false;

    QStringList frameWords;
    for (const auto* list : {&f.forA, &f.forB})
        for (const Property& p : *list) frameWords << p.text;
    auto phrase = [&](Mention& m, bool isRef, bool modified, const Mention* owner) {
        QString word = m.plural ? m.noun.plural : m.noun.singular;
        if (m.category == Category::Name) word[0] = word[0].toUpper();
        if (isRef) word = kReferentStart + word + kReferentEnd;
        QString np;
        if (m.category == Category::Name) {
            np = word;
        } else {
            QString adjective;
            if (chance(rng, 0.15)) {
                const QString adj = pick(nounAdjectives(m.category), rng);
                if (!frameWords.contains(adj)) adjective = adj + QLatin1Char(' ');
            }
            QString det;
            if (owner && isPerson(owner->category) && isPerson(m.category) && chance(rng, 0.3))  // "his son", "their friends"
                det = owner->plural ? QStringLiteral("their") : owner->gender == Gender::Female ? QStringLiteral("her") : QStringLiteral("his");
            else if (m.plural)
                det = pick(QStringList{"the", "the", "the", "the", "the", "the", "those", "these", "my", "our", "some"}, rng);
            else if (m.noun.plural.isEmpty())
                det = pick(QStringList{"the", "the", "the", "the", "that", "this", "my", "our"}, rng);
            else
                det = pick(QStringList{"the", "the", "the", "the", "the", "the", "a", "that", "this", "my", "our"}, rng);
            if (det == QLatin1String("a") && QStringLiteral("aeiou").contains((adjective.isEmpty() ? m.noun.singular : adjective)[0]))
                det = QStringLiteral("an");
            np = det + QLatin1Char(' ') + adjective + word;
        }
        if (modified && m.category != Category::Name) np += QLatin1Char(' ') + pick(nounModifiers(), rng);
        m.phrase = np;
    };
    phrase(a, sideA, syntax.modifier == 1, nullptr);
    phrase(b, !sideA, syntax.modifier == 2, &a);

    auto fill = [&](QString text) {
        text = agree(agree(text, QStringLiteral("{A}"), a.plural), QStringLiteral("{B}"), b.plural);
        text.replace(QLatin1String("{A}"), a.phrase);
        text.replace(QLatin1String("{B}"), b.phrase);
        return text;
    };
    // The reason: "it was too tired", "they weren't hungry", "it's far too big".
    const bool present = chance(rng, 0.2);
    const bool plural = ref.plural;
    QString be = present ? (plural ? QStringLiteral("are") : QStringLiteral("is")) : (plural ? QStringLiteral("were") : QStringLiteral("was"));
    QString prop = property.text;
    QString degree;
    if (property.gradable)
        degree = f.degree ? pick(QStringList{"too", "too", "too", "so", "far too", "much too", "way too", "just too", "a bit too"}, rng)
                          : pick(QStringList{"", "", "", "", "very", "so", "really", "quite", "extremely"}, rng);
    const QString deg = degree.isEmpty() ? prop : degree + QLatin1Char(' ') + prop;
    const bool negated = prop.startsWith(QLatin1String("not "));
    QString reason = kPronounMark + pronoun;
    if (negated)  // "wasn't hungry" or "was not hungry"
        reason += QLatin1Char(' ') + be + (chance(rng, 0.6) ? QStringLiteral("n't ") : QStringLiteral(" not ")) + prop.mid(4);
    else if (present && chance(rng, 0.3))  // "it's too big", "they're hungry"
        reason += (plural ? QStringLiteral("'re ") : QStringLiteral("'s ")) + deg;
    else
        reason += QLatin1Char(' ') + be + QLatin1Char(' ') + deg;

    QString text = syntax.pattern;
    auto replaceSlot = [&](const QString& slot, const QString& value) { text.replace(slot, value); };
    if (text.contains(QLatin1String("{MR}"))) {  // the referent named first, then the pronoun in the main clause
        QString main = pick(f.main, rng);
        const QString pro = kPronounMark + (sideA ? pronoun : objectPronoun(ref));
        main.replace(sideA ? QLatin1String("{A}") : QLatin1String("{B}"), pro);
        if (sideA) main = agree(main, pro, plural);
        replaceSlot(QStringLiteral("{MR}"), fill(main));
        replaceSlot(QStringLiteral("{RNP}"), ref.phrase);
        replaceSlot(QStringLiteral("{RBE}"), be);
        replaceSlot(QStringLiteral("{DEG}"), deg);
    }
    replaceSlot(QStringLiteral("{M}"), fill(pick(f.main, rng)));
    if (text.contains(QLatin1String("{Q}"))) replaceSlot(QStringLiteral("{Q}"), fill(pick(f.question, rng)));
    if (text.contains(QLatin1String("{T}"))) replaceSlot(QStringLiteral("{T}"), fill(pick(f.attempt, rng)));
    if (text.contains(QLatin1String("{P}"))) replaceSlot(QStringLiteral("{P}"), fill(pick(f.passive, rng)));
    replaceSlot(QStringLiteral("{C}"), f.connector);
    replaceSlot(QStringLiteral("{R}"), reason);
    replaceSlot(QStringLiteral("{PRE}"), pick(openingPhrases(), rng));
    replaceSlot(QStringLiteral("{POST}"), pick(closingPhrases(), rng));
    replaceSlot(QStringLiteral("{SPK}"), pick(speakers(), rng));
    text = capitaliseMarked(text);

    // Exactly one pronoun and one referent mark, then take the marks out.
    if (text.count(kPronounMark) != 1 || text.count(kReferentStart) != 1) return false;
    WinogradSentence s;
    QString clean;
    for (QChar c : text) {
        if (c == kPronounMark) s.pronounStart = int(clean.size());
        else if (c == kReferentStart) s.referentStart = int(clean.size());
        else if (c == kReferentEnd) s.referentLength = int(clean.size()) - s.referentStart;
        else clean += c;
    }
    s.text = clean;
    int end = s.pronounStart;
    while (end < clean.size() && clean[end].isLetter()) ++end;
    s.pronounLength = end - s.pronounStart;
    s.pronoun = clean.mid(s.pronounStart, s.pronounLength).toLower();
    s.referent = clean.mid(s.referentStart, s.referentLength).toLower();
    s.nounA = a.noun.singular;
    s.nounB = b.noun.singular;
    s.property = property.text;
    s.frame = fi;
    s.syntax = si;
    out = s;
    return true;
}

WinogradSentence WinogradCorpus::sample(std::mt19937& rng, bool wantHeldOut) const {
    for (;;) {
        const int fi = std::uniform_int_distribution<int>(0, frameCount() - 1)(rng);
        const int si = std::uniform_int_distribution<int>(0, syntaxCount() - 1)(rng);
        if (!applies(fi, si) || isHeldOutShape(fi, si) != wantHeldOut) continue;
        const Frame& f = frames()[size_t(fi)];
        const bool sideA = chance(rng, 0.5);
        const std::vector<Property>& list = sideA ? f.forA : f.forB;
        const int pi = std::uniform_int_distribution<int>(0, int(list.size()) - 1)(rng);
        const bool heldProperty = m_heldOutProperty[sideA ? 0 : 1][size_t(fi)][size_t(pi)];
        if (!wantHeldOut && heldProperty) continue;
        WinogradSentence s;
        if (make(fi, si, sideA, pi, rng, wantHeldOut, s)) return s;
    }
}

WinogradSentence WinogradCorpus::trainingSentence(std::mt19937& rng) const { return sample(rng, false); }

std::vector<WinogradSentence> WinogradCorpus::heldOut(int count) const {
    std::mt19937 rng(m_seed * 7919u + 17u);
    std::vector<WinogradSentence> out;
    for (int i = 0; i < count; ++i) out.push_back(sample(rng, true));
    return out;
}

QStringList WinogradCorpus::nouns() const {
    QStringList all;
    for (const auto& list : nounsByCategory())
        for (const Noun& n : list) {
            all << n.singular;
            if (!n.plural.isEmpty()) all << n.plural;
        }
    all.removeDuplicates();
    return all;
}

QStringList WinogradCorpus::properties() const {
    QStringList all;
    for (const Frame& f : frames())
        for (const auto* list : {&f.forA, &f.forB})
            for (const Property& p : *list) all << p.text;
    all.removeDuplicates();
    all.sort();
    return all;
}

QStringList WinogradCorpus::words() const {
    QStringList texts = nouns() + properties();
    for (const Frame& f : frames()) texts << f.main << f.question << f.attempt << f.passive << f.connector;
    for (const Syntax& s : syntaxes()) texts << s.pattern;
    texts << openingPhrases() << closingPhrases() << speakers() << nounModifiers();
    for (int c = 0; c < int(Category::Count); ++c) texts << nounAdjectives(Category(c));
    texts << QStringLiteral("the a an that this my our those these some his her their it they he she him them");
    texts << QStringLiteral("was were is are wasn't weren't isn't aren't not it's they're he's she's");
    texts << QStringLiteral("too so far much way just a bit very really quite extremely don't");
    for (QString& t : texts) t.remove(QRegularExpression(QStringLiteral("\\{[A-Z+]+\\}"))).remove(QLatin1Char('^'));
    return texts;
}

}  // namespace attnscope::core::train
