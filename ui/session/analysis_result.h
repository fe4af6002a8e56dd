#pragma once

#include "analysis/logit_lens.h"
#include "analysis/referent_reading.h"
#include "model/model.h"
#include "tokenize/tokenizer.h"
#include "trace/ablation_sink.h"
#include "trace/attention_trace.h"
#include "trace/trace_file.h"

#include <QImage>
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
    // With heads switched off: each listed token's probability with every head on (parallel to top).
    std::vector<float> before;
};

// How an analysis runs besides its input: heads switched off, and whether the views show the
// value-weighted norms instead of the attention weights.
struct AnalysisSettings {
    std::vector<core::HeadRef> ablate;
    bool valueWeighted = false;
    bool lens = false;  // also compute the logit lens (text models with an LM head)
    bool operator==(const AnalysisSettings& o) const { return ablate == o.ablate && valueWeighted == o.valueWeighted && lens == o.lens; }
};

// One finished analysis, immutable, shared with every view (heaptrack's summaryAvailable style).
struct AnalysisResult {
    quint64 generation = 0;     // increases with every request
    QString text;
    core::Encoding encoding;
    QStringList labels;         // readable token texts ("Ġworld" -> "world", specials as is)
    std::shared_ptr<const core::AttentionTrace> trace;
    std::vector<PositionPredictions> predictions;  // each mask token (encoders), the next token (decoders), the classes (ViT; position 0)
    std::vector<PositionPredictions> perToken;     // encoders with an LM head: top-k at every position (or only at pronouns)
    // Models with a coreference head: what each pronoun refers to, and whether to trust it.
    std::vector<core::ReferentReading> referents;
    // The reading for the token singled out (a pronoun), else the first; nullptr when none.
    const core::ReferentReading* referentFor(int focus) const {
        for (const auto& r : referents)
            if (r.pronoun == focus) return &r;
        return referents.empty() ? nullptr : &referents.front();
    }
    // Image input (vision models): the picture as decoded, its file, and the patch grid's side.
    std::shared_ptr<const QImage> picture;
    QString imagePath;
    int grid = 0;
    bool isImage() const { return picture != nullptr; }
    bool causal = false;
    bool truncated = false;
    int fullTokens = 0;         // tokens of the whole text (more than encoding.size() when truncated)
    int cutAt = -1;             // truncated: the code point of the text where the model stopped reading
    double milliseconds = 0;    // tokenize + forward + predictions
    std::vector<core::HeadRef> ablated;  // heads switched off in this run
    // The views' trace shows value-weighted norms (rows as shares) instead of attention weights.
    bool valueWeighted = false;
    QString weightsNote;  // why value-weighted norms were asked for but not shown
    // The logit lens when asked for (AnalysisSettings::lens), with each cell's token texts
    // ((L + 1) n k, as lens->cells); lensNote says why there is none.
    std::shared_ptr<const core::LogitLens> lens;
    QStringList lensTexts;
    QString lensNote;
    // A trace opened from a file (no model ran here): its path, metadata and what it lacks.
    std::shared_ptr<const core::OpenedTrace> traceFile;
    bool fromFile() const { return traceFile != nullptr; }
};

using AnalysisResultPtr = std::shared_ptr<const AnalysisResult>;

}  // namespace attnscope::ui
