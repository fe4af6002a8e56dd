#include "model/text_analysis.h"

#include "kernels/kernels.h"
#include "trace/attention_trace.h"
#include "trace/head_summary.h"
#include "util/memory_budget.h"

namespace attnscope::core {
namespace {

// The sink of one forward pass: the recorder, behind the ablation when heads are switched off.
TraceSink* sinkFor(const AnalysisOptions& options, TraceRecorder* recorder, AblationSink* ablation) {
    if (!options.ablate.empty()) return ablation;
    return options.record ? recorder : nullptr;
}

}  // namespace

uint64_t forwardBytes(const ModelConfig& c, int tokens, bool record) {
    const uint64_t n = uint64_t(std::max(tokens, 0)), L = uint64_t(c.layers);
    // (n, w) rows with w the widest of the hidden size and the heads' q width (decoders may differ).
    const uint64_t W = std::max(uint64_t(c.hidden), uint64_t(c.heads) * uint64_t(std::max(c.headDim(), 0)));
    const uint64_t rows = saturatingProduct({n, W}), squares = saturatingProduct({uint64_t(c.heads), n, n});
    ForwardShape shape;
    shape.tokens = int(std::min<uint64_t>(n, uint64_t(1) << 30));
    shape.layers = c.layers;
    shape.heads = c.heads;
    const bool blocks = record && !TraceRecorder::rebuildsHeads(shape, TraceRecorder::Mode::Auto);
    // Scratch of one forward: a few (n, H) activations and the feed-forward (n, I); each core's
    // raw scores and probabilities of one head unless the trace holds every head's.
    uint64_t floats = saturatingProduct({8, rows}) + saturatingProduct({n, uint64_t(c.intermediate)});
    const uint64_t cores = uint64_t(std::max(1, std::min(kernels::threads(), c.heads)));
    if (!blocks) floats += saturatingProduct({cores, 2, n, n});
    if (record)  // per layer 6 (n, H), plus L + 1 hidden states
        floats += saturatingProduct({L, 6, rows}) + saturatingProduct({L + 1, rows});
    if (blocks)  // 3 (h, n, n) blocks per layer
        floats += saturatingProduct({L, 3, squares});
    else if (record)  // thumbnails, and the cache of rebuilt heads
        floats += saturatingProduct({L, uint64_t(c.heads), 2 * kThumbnailSize * kThumbnailSize}) + TraceRecorder::kHeadCacheBytes / sizeof(float);
    return saturatingProduct({floats, sizeof(float)});
}

Status checkForwardMemory(const ModelConfig& config, int tokens, bool record) {
    return checkMemory(forwardBytes(config, tokens, record),
                       QStringLiteral("%1 of %2 tokens").arg(record ? QStringLiteral("the attention trace") : QStringLiteral("the forward pass")).arg(tokens),
                       config.isVision() ? QStringLiteral("use a model with fewer patches") : QStringLiteral("shorten the text"));
}

Result<TextAnalysis> analyzeText(const LoadedModel& loaded, const QString& text, const AnalysisOptions& options,
                                 const std::atomic<bool>* cancel) {
    if (!loaded.tokenizer)
        return inputError(QStringLiteral("%1 is an image model; give it an image, not text").arg(loaded.config().name));
    if (text.isEmpty()) return inputError(QStringLiteral("the text is empty"));  // white space alone is text
    auto encoded = loaded.tokenizer->encode(text);
    if (!encoded) return encoded.error();
    TextAnalysis result;
    result.encoding = std::move(encoded).value();
    Encoding& e = result.encoding;
    const int limit = loaded.config().maxTokens();
    result.fullTokens = e.size();
    if (e.size() > limit) {
        if (!options.truncate)
            return inputError(QStringLiteral("the text has %1 tokens but %2 accepts at most %3 (use --truncate "
                                             "to keep the first %3)")
                                  .arg(e.size())
                                  .arg(loaded.config().name)
                                  .arg(limit));
        // Keep the template's closing tokens ([SEP], </s>): drop the text tokens before them.
        const int suffix = int(loaded.tokenizer->templateSuffix.size());
        const int keep = limit - suffix;
        result.cutAt = keep > 0 ? e.offsets[size_t(keep - 1)].second : 0;
        for (int i = keep; i < e.size() - suffix; ++i)  // the first piece not read starts the cut
            if (e.offsets[size_t(i)].second > e.offsets[size_t(i)].first) {
                result.cutAt = e.offsets[size_t(i)].first;
                break;
            }
        Encoding cut;
        for (int i = 0; i < e.size(); ++i) {
            if (i >= keep && i < e.size() - suffix) continue;
            cut.ids.push_back(e.ids[size_t(i)]);
            cut.tokens << e.tokens[i];
            cut.offsets.push_back(e.offsets[size_t(i)]);
            cut.special.push_back(e.special[size_t(i)]);
        }
        e = std::move(cut);
        result.truncated = true;
    }
    if (Status s = checkForwardMemory(loaded.config(), e.size(), options.record); !s) return s.error();
    TraceRecorder recorder;
    recorder.setValueNorms(options.valueNorms);
    AblationSink ablation(options.record ? &recorder : nullptr, options.ablate);
    auto out = loaded.model->forward(e.ids, {}, sinkFor(options, &recorder, &ablation), cancel);
    if (!out) return out.error();
    result.output = std::move(out).value();
    if (options.record) result.trace = recorder.take();
    result.ablated = options.ablate;
    return result;
}

QString patchName(int row, int column) { return QStringLiteral("p(%1,%2)").arg(row).arg(column); }

Result<TextAnalysis> analyzeImage(const LoadedModel& loaded, const ImageTensor& pixels, const AnalysisOptions& options,
                                  const std::atomic<bool>* cancel) {
    if (!loaded.config().isVision())
        return inputError(QStringLiteral("%1 is a text model; give it text, not an image").arg(loaded.config().name));
    TextAnalysis result;
    Encoding& e = result.encoding;
    const int g = loaded.config().patchesPerSide();
    e.ids.push_back(0);
    e.tokens << QStringLiteral("[CLS]");
    e.offsets.emplace_back(0, 0);
    e.special.push_back(true);
    for (int r = 0; r < g; ++r)
        for (int c = 0; c < g; ++c) {
            e.ids.push_back(r * g + c + 1);
            e.tokens << patchName(r, c);
            e.offsets.emplace_back(0, 0);
            e.special.push_back(false);
        }
    if (Status s = checkForwardMemory(loaded.config(), e.size(), options.record); !s) return s.error();
    TraceRecorder recorder;
    recorder.setValueNorms(options.valueNorms);
    AblationSink ablation(options.record ? &recorder : nullptr, options.ablate);
    auto out = loaded.model->forwardImage(pixels, sinkFor(options, &recorder, &ablation), cancel);
    if (!out) return out.error();
    result.output = std::move(out).value();
    if (options.record) result.trace = recorder.take();
    result.ablated = options.ablate;
    return result;
}

}  // namespace attnscope::core
