#include "cli_common.h"
#include "commands.h"

#include "analysis/logit_lens.h"
#include "io/json_writer.h"
#include "io/trace_export.h"
#include "model/text_analysis.h"

#include <QTextStream>

namespace attnscope::cli {
namespace {

// One row per layer, one column per token: the top token and its probability.
QByteArray lensTable(const core::LogitLens& lens, const core::Encoding& e, const core::Tokenizer& tokenizer) {
    QString out;
    QTextStream t(&out);
    constexpr int kWidth = 16;
    auto cell = [](QString s) {
        s.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
        return s.size() > kWidth - 1 ? s.left(kWidth - 2) + QStringLiteral("…") : s;
    };
    t << QStringLiteral("%1").arg(QStringLiteral("layer"), -6);
    for (int i = 0; i < lens.tokens; ++i) t << QStringLiteral("%1").arg(cell(tokenizer.display(e.ids[size_t(i)]).trimmed()), -kWidth);
    t << '\n';
    for (int l = 0; l < lens.layers; ++l) {
        t << QStringLiteral("%1").arg(l == 0 ? QStringLiteral("emb") : QString::number(l), -6);
        for (int i = 0; i < lens.tokens; ++i) {
            const core::TokenScore& s = *lens.at(l, i);
            t << QStringLiteral("%1").arg(cell(QStringLiteral("%1 %2").arg(tokenizer.display(s.id).trimmed()).arg(s.probability, 0, 'f', 2)), -kWidth);
        }
        t << '\n';
    }
    t.flush();
    return out.toUtf8();
}

}  // namespace

int runLens(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("top"), QStringLiteral("Tokens per cell (1-100, default 5)."), QStringLiteral("K")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json (default) or table (the top token per layer and token)."),
                      QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("ablate"), QStringLiteral("Switch these heads off first, e.g. 3:1,5:0."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file (default: standard output)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Logit lens: every layer's hidden state read through the model's final norm "
                                                               "and its language-model head; layer 0 is the embeddings."));
        status >= 0)
        return status;
    QString error;
    const int k = intOption(parser, QStringLiteral("top"), 5, 1, 100, &error);
    if (!error.isEmpty()) return usageError(error);
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("json") && format != QLatin1String("table"))
        return usageError(QStringLiteral("--format must be json or table, not '%1'").arg(format));
    auto text = textOption(parser);
    if (!text) return fail(text.error());
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    if (!model->tokenizer) return usageError(QStringLiteral("%1 is an image model: the logit lens reads text models").arg(model->config().name));
    if (!model->model->hasLmHead())
        return usageError(QStringLiteral("%1 has no language-model head in its checkpoint, so its layers cannot be read as "
                                         "tokens (use a masked-LM or causal-LM checkpoint)")
                              .arg(model->config().name));
    core::AnalysisOptions options;
    auto ablate = ablateOption(parser, model->config());
    if (!ablate) return fail(ablate.error());
    options.ablate = *ablate;
    auto analysis = analyzeInputOption(parser, *model, options);
    if (!analysis) return fail(analysis.error());
    auto lens = core::logitLens(*model->model, *analysis->trace, k);
    if (!lens) return fail(lens.error());

    Output out;
    if (core::Status s = out.open(parser.value(QStringLiteral("out"))); !s) return fail(s.error());
    core::Status written;
    if (format == QLatin1String("table")) {
        const QByteArray bytes = lensTable(*lens, analysis->encoding, *model->tokenizer);
        if (out.device()->write(bytes) != bytes.size()) written = core::internalError(QStringLiteral("cannot write the table"));
    } else {
        core::JsonWriter json(out.device());
        json.beginObject();
        json.key(QStringLiteral("model_type"));
        json.value(model->config().modelType);
        core::writeEncodingFields(json, analysis->encoding);
        json.key(QStringLiteral("layers"));  // [L + 1][n][k]
        json.beginArray();
        for (int l = 0; l < lens->layers; ++l) {
            json.beginArray();
            for (int i = 0; i < lens->tokens; ++i) {
                json.beginArray();
                for (int r = 0; r < lens->k; ++r) {
                    const core::TokenScore& s = lens->at(l, i)[r];
                    json.beginObject();
                    json.key(QStringLiteral("id"));
                    json.value(s.id);
                    json.key(QStringLiteral("token"));
                    json.value(model->tokenizer->token(s.id));
                    json.key(QStringLiteral("prob"));
                    json.value(s.probability);
                    json.endObject();
                }
                json.endArray();
            }
            json.endArray();
        }
        json.endArray();
        json.endObject();
        json.endLine();
        if (!json.flush()) written = core::internalError(QStringLiteral("cannot write the output"));
    }
    if (core::Status s = out.commit(written); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
