#pragma once

#include "tokenize/text_steps.h"
#include "util/result.h"

#include <QJsonValue>

#include <vector>

// tokenizer.json's "normalizer" and "pre_tokenizer" entries -> pipeline steps. A component
// AttnScope does not implement is refused with its name, never skipped.
namespace attnscope::core {

Result<std::vector<NormalizerPtr>> parseNormalizers(const QJsonValue& value);
Result<std::vector<PreTokenizerPtr>> parsePreTokenizers(const QJsonValue& value);
// A {"String": ...} or {"Regex": ...} pattern.
Result<QRegularExpression> parsePattern(const QJsonValue& value, const QString& where);

}  // namespace attnscope::core
