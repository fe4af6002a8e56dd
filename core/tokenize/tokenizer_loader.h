#pragma once

#include "tokenize/tokenizer.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace attnscope::core {

// Loads the tokenizer of a Hugging Face folder: tokenizer.json when present, else vocab.txt
// (WordPiece, with tokenizer_config.json) or vocab.json + merges.txt (byte-level BPE). The folder
// may hold only tokenizer files; config.json's model_type, when there, picks RoBERTa's template.
Result<std::shared_ptr<const Tokenizer>> loadTokenizer(const QString& folder);

// A BERT WordPiece tokenizer over an in-memory vocabulary (the trainer's word-level vocabularies):
// [CLS] ... [SEP] template, special tokens from the vocabulary.
Result<std::shared_ptr<const Tokenizer>> makeWordPieceTokenizer(const QStringList& vocab, bool lowercase = true);

// tokenizer.json's content, with tokenizer_config.json's (exposed for tests and fuzzing).
Result<std::shared_ptr<const Tokenizer>> parseTokenizerJson(const QJsonObject& json, const QJsonObject& config = QJsonObject());

}  // namespace attnscope::core
