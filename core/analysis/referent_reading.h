#pragma once

#include "model/model_config.h"
#include "tokenize/tokenizer.h"
#include "trace/attention_trace.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace attnscope::core {

// What a teaching model (one whose config names a coreference head) makes of a pronoun, and
// whether that answer deserves trust. Only Resolved is shown as an answer; every other kind is
// said plainly instead of a confident prediction.
struct ReferentReading {
    enum class Kind {
        NoPronoun,     // nothing to resolve
        UnknownWords,  // a word the model never trained on
        NotANoun,      // its best guess is not a noun of this sentence
        Disagree,      // the coreference head and the prediction point at different words
        WeakPeak,      // the coreference head spreads its attention (peak under the calibrated threshold)
        Resolved,
    };
    Kind kind = Kind::NoPronoun;
    int pronoun = -1;        // token index
    int peak = -1;           // token the coreference head's pronoun row peaks on
    float share = 0;         // the share it gets
    float threshold = 0;     // the calibrated lowest share of a right answer
    int predictedId = -1;    // the LM head's top token at the pronoun (-1: none)
    int layer = -1, head = -1;
    QStringList unknownWords;

    bool trusted() const { return kind == Kind::Resolved; }
};

// Whether the model records what it learned (a coreference head).
bool readsReferents(const ModelConfig& config);

// One reading per pronoun of the sentence (it, he, she, they, him, her, them), or a single
// NoPronoun reading. predictedIds: the LM head's top token at every position (empty: no head).
std::vector<ReferentReading> readReferents(const ModelConfig& config, const Tokenizer& tokenizer, const QString& text,
                                           const Encoding& encoding, const AttentionTrace& trace,
                                           const std::vector<int>& predictedIds);

// A plain sentence for the predictions panel and the Links caption. labels: readable tokens.
QString describeReading(const ReferentReading& reading, const QStringList& labels);

}  // namespace attnscope::core
