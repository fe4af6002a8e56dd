#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <random>
#include <vector>

namespace attnscope::core::train {

// One generated sentence: "The animal didn't cross the road because it was tired.", with where
// the pronoun and its referent are (offsets in code points of text, as Encoding's).
struct WinogradSentence {
    QString text;
    int pronounStart = -1, pronounLength = 0;
    int referentStart = -1, referentLength = 0;
    QString pronoun;   // as written, lower case: "it", "they", "him", ...
    QString referent;  // the referent noun as written, lower case ("animal", "dogs", "mary")
    QString nounA, nounB;  // the two nouns' singular forms (the held-out split's pair)
    QString property;
    int frame = 0, syntax = 0;
};

// Winograd-style sentence generator over winograd_lexicon's nouns, frames and syntaxes. The
// held-out split keeps three things out of training: noun pairs (about 10% of pairs never meet in
// a training sentence), sentence shapes (a frame said in a syntax: about 12% of the combinations)
// and properties (a quarter of the frame/property combinations whose property points the same
// way in at least two frames). Every held-out sentence has an unseen pair and an unseen shape.
class WinogradCorpus {
public:
    explicit WinogradCorpus(uint32_t seed = 1);

    WinogradSentence trainingSentence(std::mt19937& rng) const;
    // A fixed held-out set (deterministic for a given seed and size).
    std::vector<WinogradSentence> heldOut(int count) const;

    bool isHeldOutPair(const QString& a, const QString& b) const;
    bool isHeldOutShape(int frame, int syntax) const;
    bool isHeldOutProperty(int frame, const QString& property) const;
    // Any of the three: such a sentence never occurs in training.
    bool isHeldOut(const WinogradSentence& s) const;

    uint32_t seed() const { return m_seed; }
    int frameCount() const;
    int syntaxCount() const;
    int shapeCount() const;  // frame/syntax combinations that can be said
    bool applies(int frame, int syntax) const;
    QStringList nouns() const;       // every noun form a sentence can name as a referent
    QStringList properties() const;
    // Every piece of text a sentence can be made of (the words the model is trained on).
    QStringList words() const;

private:
    bool make(int frame, int syntax, bool sideA, int property, std::mt19937& rng, bool wantHeldOut, WinogradSentence& out) const;
    WinogradSentence sample(std::mt19937& rng, bool wantHeldOut) const;
    uint32_t hash(const QString& key) const;

    uint32_t m_seed;
    std::vector<std::vector<bool>> m_heldOutProperty[2];  // [side][frame][property]
};

}  // namespace attnscope::core::train
