#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <random>
#include <vector>

namespace attnscope::core::train {

// One generated sentence: "The animal didn't cross the road because it was tired." with the
// pronoun's referent ("animal") decided by the property word after the pronoun.
struct WinogradSentence {
    QString text;
    QString nounA, nounB, property;
    QString pronoun;   // "it", "he", "she", "they"
    QString referent;  // nounA or nounB
    int templateIndex = 0;
};

// Winograd-style sentence generator. Each template pairs two kinds of noun (animals and ways,
// items and containers, people and people, ...) with property words that point at one of them.
// The held-out split is by (noun A, noun B, property): those combinations never occur in training.
class WinogradCorpus {
public:
    explicit WinogradCorpus(uint32_t seed = 1);

    WinogradSentence trainingSentence(std::mt19937& rng) const;
    // A fixed held-out set (deterministic for a given size).
    std::vector<WinogradSentence> heldOut(int count) const;
    bool isHeldOut(const QString& a, const QString& b, const QString& property) const;

    int templateCount() const;
    QStringList nouns() const;
    QStringList properties() const;
    // Every word any sentence can contain (for the vocabulary).
    QStringList surfaceTexts() const;

private:
    WinogradSentence make(int templateIndex, const QString& a, const QString& b, const QString& property,
                          std::mt19937& rng) const;
    WinogradSentence sample(std::mt19937& rng, bool wantHeldOut) const;

    uint32_t m_seed;
};

}  // namespace attnscope::core::train
