#include "cli_common.h"
#include "commands.h"

#include "io/json_writer.h"
#include "io/trace_export.h"
#include "model/text_analysis.h"

namespace attnscope::cli {

int runPredict(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text; encoders need a mask token ([MASK] or <mask>)."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("top"), QStringLiteral("How many tokens to list (default 5)."), QStringLiteral("K")});
    parser.addOption({QStringLiteral("ablate"), QStringLiteral("Switch these heads off (their context zeroed before the output projection), "
                                                              "e.g. 3:1,5:0 (LAYER:HEAD, from 0)."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Top-k tokens with probabilities for each mask token "
                                                               "(BERT family) or for the next token (GPT-2)."));
        status >= 0)
        return status;
    QString error;
    const int k = intOption(parser, QStringLiteral("top"), 5, 1, 1000, &error);
    if (!error.isEmpty()) return usageError(error);
    auto text = textOption(parser);
    if (!text) return fail(text.error());
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    if (!model->model->hasLmHead())
        return usageError(QStringLiteral("%1 has no language-model head (its checkpoint holds the bare encoder), so "
                                         "it cannot predict tokens")
                              .arg(model->config().name));
    core::AnalysisOptions options;
    options.truncate = parser.isSet(QStringLiteral("truncate"));
    options.record = false;
    auto ablate = ablateOption(parser, model->config());
    if (!ablate) return fail(ablate.error());
    options.ablate = *ablate;
    auto analysis = core::analyzeText(*model, *text, options);
    if (!analysis) return fail(analysis.error());

    std::vector<int> positions;
    const core::Encoding& e = analysis->encoding;
    if (model->config().causal) {
        positions.push_back(e.size() - 1);
    } else {
        const int mask = model->tokenizer->maskId();
        for (int i = 0; i < e.size(); ++i)
            if (e.ids[size_t(i)] == mask) positions.push_back(i);
        if (positions.empty())
            return usageError(QStringLiteral("the text has no %1 token to predict").arg(model->tokenizer->maskToken().isEmpty()
                                                                                            ? QStringLiteral("mask")
                                                                                            : model->tokenizer->maskToken()));
    }

    Output out;
    if (core::Status s = out.open(QString()); !s) return fail(s.error());
    core::JsonWriter json(out.device());
    json.beginObject();
    json.key(QStringLiteral("model_type"));
    json.value(model->config().modelType);
    json.key(QStringLiteral("kind"));
    json.value(model->config().causal ? "next-token" : "masked-token");
    core::writeEncodingFields(json, e);
    if (!options.ablate.empty()) {
        json.key(QStringLiteral("ablated"));
        json.beginArray();
        for (const core::HeadRef& r : options.ablate) json.ints({r.layer, r.head});
        json.endArray();
    }
    json.key(QStringLiteral("predictions"));
    json.beginArray();
    for (int pos : positions) {
        json.beginObject();
        json.key(QStringLiteral("position"));
        json.value(pos);
        json.key(QStringLiteral("top"));
        json.beginArray();
        for (const core::TokenScore& s : model->model->topK(analysis->output, pos, k)) {
            json.beginObject();
            json.key(QStringLiteral("token"));
            json.value(model->tokenizer->token(s.id));
            json.key(QStringLiteral("text"));
            json.value(model->tokenizer->display(s.id));
            json.key(QStringLiteral("id"));
            json.value(s.id);
            json.key(QStringLiteral("probability"));
            json.value(s.probability);
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }
    json.endArray();
    json.endObject();
    json.endLine();
    if (!json.flush()) return fail(core::internalError(QStringLiteral("cannot write to standard output")));
    if (core::Status s = out.commit(); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
