#pragma once

#include "model/model.h"
#include "tokenize/tokenizer.h"
#include "trace/attention_trace.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace attnscope::ui {

// Top-k predictions at one position.
struct PositionPredictions {
    int position = 0;
    std::vector<core::TokenScore> top;
    QStringList texts;  // readable token texts, parallel to top
};

// One finished analysis, immutable, shared with every view (heaptrack's summaryAvailable style).
struct AnalysisResult {
    quint64 generation = 0;     // increases with every request
    QString text;
    core::Encoding encoding;
    QStringList labels;         // readable token texts ("Ġworld" -> "world", specials as is)
    std::shared_ptr<const core::AttentionTrace> trace;
    std::vector<PositionPredictions> predictions;  // each mask token (encoders) or the next token (decoders)
    std::vector<PositionPredictions> perToken;     // encoders with an LM head: top-k at every position
    bool causal = false;
    bool truncated = false;
    double milliseconds = 0;    // tokenize + forward + predictions
};

using AnalysisResultPtr = std::shared_ptr<const AnalysisResult>;

}  // namespace attnscope::ui
