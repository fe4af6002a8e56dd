#include "cli_common.h"
#include "commands.h"

#include "io/trace_export.h"
#include "model/text_analysis.h"

#include <QSet>

namespace attnscope::cli {

int runAttention(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("An image file, for a vision model (ViT); tokens are [CLS] and the patches p(row,col)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("include"),
                      QStringLiteral("Also write: hidden (hidden_states [L+1][n][d]), qkv (q, k, v [L][H][n][d_head]), "
                                     "scores (scaled q.k before mask and softmax [L][H][n][n]), norms (value-weighted norms "
                                     "||a_ij f_h(x_j)||, Kobayashi et al. 2020, [L][H][n][n]); comma-separated."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json (default) or npy (attentions as float32 (L, H, n, n))."),
                      QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("layers"), QStringLiteral("Only these layers, e.g. 0,5-7 (counting from 0; default: all)."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("heads"), QStringLiteral("Only these heads of each layer, e.g. 3,8 (default: all)."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("ablate"), QStringLiteral("Switch these heads off (their context zeroed before the output projection), "
                                                              "e.g. 3:1,5:0 (LAYER:HEAD, from 0)."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file (default: standard output)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Runs the model on the text and writes the attention "
                                                               "probabilities of every layer and head."));
        status >= 0)
        return status;

    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("json") && format != QLatin1String("npy"))
        return usageError(QStringLiteral("--format must be json or npy, not '%1'").arg(format));
    QSet<QString> include;
    if (parser.isSet(QStringLiteral("include"))) {
        for (const QString& part : parser.value(QStringLiteral("include")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString p = part.trimmed();
            if (p != QLatin1String("hidden") && p != QLatin1String("qkv") && p != QLatin1String("scores") && p != QLatin1String("norms"))
                return usageError(QStringLiteral("--include: unknown part '%1' (hidden, qkv, scores, norms)").arg(p));
            include.insert(p);
        }
        if (format == QLatin1String("npy") && !include.isEmpty())
            return usageError(QStringLiteral("--include works with --format json; npy holds the attentions only"));
    }
    const bool image = parser.isSet(QStringLiteral("image"));
    if (image == parser.isSet(QStringLiteral("text"))) return usageError(QStringLiteral("give exactly one of --text TEXT or --image FILE"));
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    core::TraceSelection selection;
    QString error;
    if (parser.isSet(QStringLiteral("layers")))
        selection.layers = indexList(parser.value(QStringLiteral("layers")), model->config().layers, QStringLiteral("--layers"), &error);
    if (parser.isSet(QStringLiteral("heads")) && error.isEmpty())
        selection.heads = indexList(parser.value(QStringLiteral("heads")), model->config().heads, QStringLiteral("--heads"), &error);
    if (!error.isEmpty()) return usageError(error);
    core::AnalysisOptions options;
    options.truncate = parser.isSet(QStringLiteral("truncate"));
    options.valueNorms = include.contains(QStringLiteral("norms"));
    auto ablate = ablateOption(parser, model->config());
    if (!ablate) return fail(ablate.error());
    options.ablate = *ablate;
    core::Result<core::TextAnalysis> analysis = core::inputError(QString());
    if (image) {
        auto pixels = loadImageForModel(parser.value(QStringLiteral("image")), *model);
        if (!pixels) return fail(pixels.error());
        analysis = core::analyzeImage(*model, *pixels, options);
    } else {
        auto text = textOption(parser);
        if (!text) return fail(text.error());
        analysis = core::analyzeText(*model, *text, options);
    }
    if (!analysis) return fail(analysis.error());

    Output out;
    if (core::Status s = out.open(parser.value(QStringLiteral("out"))); !s) return fail(s.error());
    const core::Status written =
        format == QLatin1String("npy")
            ? core::writeAttentionsNpy(*out.device(), *analysis->trace, selection)
            : core::writeTraceJson(*out.device(),
                                   {model->config().modelType, &analysis->encoding, analysis->truncated, analysis->trace.get(), selection, analysis->ablated},
                                   include);
    if (core::Status s = out.commit(written); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
