#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace attnscope::core {

// Two sentences one word apart whose pronoun refers to different nouns: "... because it was
// tired" (the animal) and "... because it was wide" (the road). The Examples menu lists them; the
// swap key turns one into the other.
struct MinimalPair {
    QString first, second;            // whole sentences
    QString firstWord, secondWord;    // the deciding word of each
    QString firstReferent, secondReferent;
};

const std::vector<MinimalPair>& minimalPairs();

// A deciding-word swap of text: a pair's other sentence when text is one of them, else text with
// the first pair word found in it (a whole word, any case) replaced by its twin. nullopt when no
// pair's word is in the text.
struct WordSwap {
    QString text;      // the swapped sentence
    QString from, to;  // the words ("tired", "wide")
};
std::optional<WordSwap> swapDecidingWord(const QString& text);

}  // namespace attnscope::core
