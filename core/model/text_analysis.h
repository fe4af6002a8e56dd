#pragma once

#include "model/model_loader.h"
#include "trace/ablation_sink.h"
#include "trace/attention_trace.h"

#include <atomic>

namespace attnscope::core {

struct AnalysisOptions {
    bool truncate = false;  // keep the first tokens that fit instead of failing
    bool record = true;     // record the AttentionTrace
    bool valueNorms = false; // record each head's value-vector norms too (AttentionTrace::valueNorms)
    std::vector<HeadRef> ablate;  // heads switched off (context zeroed before the output projection)
};

// One input run through a model: its tokens, the forward output and (optionally) the trace.
struct TextAnalysis {
    Encoding encoding;
    ForwardOutput output;
    std::shared_ptr<const AttentionTrace> trace;
    bool truncated = false;
    int fullTokens = 0;  // tokens of the whole text, before the cut
    int cutAt = -1;      // truncated: the code point of the text where reading stopped
    std::vector<HeadRef> ablated;  // the heads that were switched off
};

// Image input for vision models: tokens are "[CLS]", "p(0,0)", "p(0,1)", ... (row, column of the
// patch grid); pixels are already preprocessed to the model's (3, S, S).
Result<TextAnalysis> analyzeImage(const LoadedModel& loaded, const ImageTensor& pixels, const AnalysisOptions& options,
                                  const std::atomic<bool>* cancel = nullptr);
QString patchName(int row, int column);

// Bytes one forward pass of `tokens` tokens allocates (with the trace when `record`), saturating.
uint64_t forwardBytes(const ModelConfig& config, int tokens, bool record);
// The memory budget check before a forward pass; the message says what to do.
Status checkForwardMemory(const ModelConfig& config, int tokens, bool record);

// Tokenizes text, checks it fits the model, runs the forward pass and records the trace.
Result<TextAnalysis> analyzeText(const LoadedModel& loaded, const QString& text, const AnalysisOptions& options,
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace attnscope::core
