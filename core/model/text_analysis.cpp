#include "model/text_analysis.h"

namespace attnscope::core {

Result<TextAnalysis> analyzeText(const LoadedModel& loaded, const QString& text, const AnalysisOptions& options,
                                 const std::atomic<bool>* cancel) {
    if (text.trimmed().isEmpty()) return inputError(QStringLiteral("the text is empty"));
    auto encoded = loaded.tokenizer->encode(text);
    if (!encoded) return encoded.error();
    TextAnalysis result;
    result.encoding = std::move(encoded).value();
    Encoding& e = result.encoding;
    const int limit = loaded.config().maxTokens();
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
    TraceRecorder recorder;
    auto out = loaded.model->forward(e.ids, {}, options.record ? &recorder : nullptr, cancel);
    if (!out) return out.error();
    result.output = std::move(out).value();
    if (options.record) result.trace = recorder.take();
    return result;
}

}  // namespace attnscope::core
