// Any text through the real tokenizers: WordPiece (the built-in teaching model), byte-level BPE
// (the GPT-2 fixture), tokenizer.json WordPiece (the DistilBERT fixture), and when ../shared is
// there the Llama 3 (regex Split + byte-level) and Mistral (Prepend/Replace + byte fallback)
// tokenizer.json pipelines. Offsets must lie in the text.
#include "fuzz_common.h"
#include "model/builtin_models.h"
#include "tokenize/token_labels.h"
#include "tokenize/tokenizer_loader.h"

#include <memory>
#include <vector>

namespace {
std::vector<std::shared_ptr<const attnscope::core::Tokenizer>> g_tokenizers;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    using namespace attnscope::core;
    attnscope::fuzz::setUp();
    for (const QString& dir : {builtinTeachingModelPath(), QStringLiteral(ATTNSCOPE_FIXTURES "/models/gpt2"),
                               QStringLiteral(ATTNSCOPE_FIXTURES "/models/distilbert"), QStringLiteral(ATTNSCOPE_FIXTURES "/models/roberta")}) {
        auto t = loadTokenizer(dir);
        if (!t) __builtin_trap();
        g_tokenizers.push_back(*t);
    }
    for (const char* shared : {"/llama3", "/mistral-7b"})
        if (auto t = loadTokenizer(QStringLiteral(ATTNSCOPE_SHARED_FIXTURES) + QLatin1String(shared))) g_tokenizers.push_back(*t);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    const int length = int(text.toUcs4().size());
    for (const auto& tok : g_tokenizers) {
        auto enc = tok->encode(text);
        if (!enc) continue;
        for (const auto& [b, e] : enc->offsets)
            if (b < 0 || e < b || e > length) __builtin_trap();
        // One chip label per token, never empty.
        const QStringList labels = tokenLabels(*tok, *enc, text);
        if (labels.size() != enc->size()) __builtin_trap();
        for (const QString& l : labels)
            if (l.isEmpty()) __builtin_trap();
    }
    return 0;
}
