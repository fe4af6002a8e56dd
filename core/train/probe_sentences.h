#pragma once

#include "train/winograd_corpus.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace attnscope::core::train {

// Sentences to check a teaching model on, one per line: sentence TAB pronoun TAB referent (the
// first whole-word occurrence of each, case-insensitive); "#" starts a comment line. Such a file
// is the hand-written test set of tests/data/teacher_sentences.tsv. Errors name the line.
Result<std::vector<WinogradSentence>> parseProbeSentences(const QByteArray& bytes);
Result<std::vector<WinogradSentence>> readProbeSentences(const QString& path);

}  // namespace attnscope::core::train
