#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace attnscope::core::train {

// The words and sentence shapes the teaching corpus is generated from: nouns in categories,
// frames (a relation between two nouns and the property words that pick one of them) and
// syntaxes (ways to say a frame with a pronoun). Plain data; WinogradCorpus combines it.

enum class Category { Animal, Person, Name, Item, Container, Way, Obstacle, Opening, Vehicle, Food, Furniture, Cover,
                      Sight, HighPlace, Purchase, Task, Text, Count };

enum class Gender { Neutral, Male, Female };

struct Noun {
    QString singular, plural;  // plural empty: no plural (names)
    Gender gender = Gender::Neutral;
};

// A property word or phrase: "tired", "far away", "not hungry". Gradable properties take a
// degree adverb ("too tired", "very tired"); "caught" or "locked" do not.
struct Property {
    QString text;
    bool gradable = true;
};

struct Frame {
    QString name;
    std::vector<Category> a, b;   // categories of the first and second noun
    QStringList main;             // "{A} didn't cross {B}" (alternatives)
    QStringList question;         // "Why didn't {A} cross {B}?" (may be empty)
    QStringList attempt;          // "{A} wanted to cross {B}" (for "..., but it was too ...")
    QStringList passive;          // "{B} wasn't crossed by {A}"
    QString connector;            // "because" or "until"
    bool degree = false;          // properties read with "too" ("too big")
    std::vector<Property> forA, forB;  // properties that make the pronoun mean A, or B
};

// How a frame is said. Slots: {M} main clause, {Q} question, {T} attempt, {P} passive, {C}
// connector, {R} reason ("it was too tired"), {RNP} the referent's noun phrase, {RBE} its verb
// "to be", {DEG} degree adverb + property ("too tired"), {MR} the main clause with the referent
// replaced by its pronoun, {PRE} an opening phrase, {POST} a closing phrase, {SPK} a speaker.
// "^" capitalises the next letter. `modifier` gives a noun a phrase ("the dog from the village").
struct Syntax {
    QString pattern;
    bool becauseOnly = false;  // needs the connector "because" (the pronoun clause can move)
    bool speaker = false;      // has {SPK}: only when the pronoun cannot mean a person
    int modifier = 0;          // 0 none, 1 modifies A, 2 modifies B
};

const std::vector<std::vector<Noun>>& nounsByCategory();  // indexed by Category
const std::vector<Frame>& frames();
const std::vector<Syntax>& syntaxes();
const QStringList& openingPhrases();
const QStringList& closingPhrases();
const QStringList& speakers();
const QStringList& nounModifiers();
// Adjectives a noun phrase may carry ("the brown suitcase"), by category.
QStringList nounAdjectives(Category category);

}  // namespace attnscope::core::train
