#pragma once

#include "render/qkv_painter.h"
#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QString>

#include <optional>
#include <vector>

namespace attnscope::ui {

// What a lesson step points at while its caption is read.
enum class LessonTarget { Tokens, Figure, Predictions, SwapButton };

// One step of the guided lesson: which view it shows, how it sets it up, and what it highlights.
struct LessonStep {
    QString title;
    QString view;                         // "qkv", "links", "grid"
    std::optional<QkvStep> qkvStep;       // the Q/K/V step revealed (qkv view)
    HeadMode headMode = HeadMode::Single;
    bool modelsOwnHead = true;            // a teaching model's coreference head, else the head selected
    bool swapWord = false;                // swaps the deciding word ("tired" -> "wide") when it opens
    LessonTarget target = LessonTarget::Figure;
};

// The lesson on self-attention, in the project's own words, written for a 16-year-old: tokens and
// embeddings, one query and its key dot products, scaling, softmax, weighted values, the context
// vector, many heads, many layers, what the model predicts, and the tired/wide swap. Captions quote
// the current sentence's own numbers.
class LessonScript {
public:
    static const std::vector<LessonStep>& steps();
    // The token the lesson follows: the pronoun a teaching model resolves, else the pinned token,
    // else the first word.
    static int queryToken(const AnalysisResult& result, const ViewState& state);
    // Step i's caption (rich text) for the analysis shown and the head the state selects.
    static QString caption(int step, const AnalysisResult& result, const ViewState& state);
    // Terms and their meanings (rich text): query, key, value, head, layer, softmax, attention weight...
    static QString glossary();
};

}  // namespace attnscope::ui
