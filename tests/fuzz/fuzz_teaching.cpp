// The teaching model's inputs: a probe-sentence file (sentence TAB pronoun TAB referent lines, as
// train-teaching --check reads) parsed or refused with a message; and any text through the
// built-in model with what its pronouns refer to read and described (word spans within the text).
#include "analysis/referent_reading.h"
#include "fuzz_common.h"
#include "model/builtin_models.h"
#include "model/minimal_pairs.h"
#include "model/text_analysis.h"
#include "train/probe_sentences.h"

#include <optional>

namespace {
std::optional<attnscope::core::LoadedModel> g_model;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    auto m = attnscope::core::loadBuiltinTeachingModel();
    if (!m) __builtin_trap();
    g_model = *m;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    const QByteArray bytes = attnscope::fuzz::bytes(data, size);
    if (auto probes = train::parseProbeSentences(bytes)) {
        for (const auto& s : *probes)
            if (s.pronounStart < 0 || s.pronounStart + s.pronounLength > s.text.size() || s.referentStart < 0 ||
                s.referentStart + s.referentLength > s.text.size())
                __builtin_trap();
    }
    const QString text = QString::fromUtf8(bytes.left(600));
    if (auto swap = swapDecidingWord(text); swap && swap->text.isEmpty() && !text.isEmpty()) __builtin_trap();
    AnalysisOptions options;
    options.truncate = true;
    auto a = analyzeText(*g_model, text, options);
    if (!a) return 0;
    const auto readings = readReferents(g_model->config(), *g_model->tokenizer, text, a->encoding, *a->trace, {});
    for (const ReferentReading& r : readings) {
        if (r.pronoun >= a->encoding.size() || r.peak >= a->encoding.size()) __builtin_trap();
        for (const QString& w : r.unknownWords)
            if (w.isEmpty() || !text.contains(w)) __builtin_trap();
        if (describeReading(r, a->encoding.tokens).isEmpty()) __builtin_trap();
    }
    return 0;
}
