#include "cli_common.h"
#include "commands.h"

#include "io/trace_export.h"
#include "model/text_analysis.h"
#include "trace/trace_writer.h"

#include <QSet>

#ifdef ATTNSCOPE_HAVE_UI
#include "session/trace_result.h"
#endif

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
    parser.addOption({QStringLiteral("save-trace"), QStringLiteral("Write the run as a trace file instead (docs/trace-format.md), which "
                                                                   "attnscope and --trace open without the model."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("trace-holds"), QStringLiteral("What the trace file holds: matrices, qk, v, hidden; comma-separated "
                                                                    "(default: matrices,qk,v)."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("trace-dtype"), QStringLiteral("The trace file's number type: f32 (default), f16 or bf16."), QStringLiteral("T")});
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
    const bool saveTrace = parser.isSet(QStringLiteral("save-trace"));
    core::TraceWriteOptions traceOptions;
    if (saveTrace) {
        if (parser.isSet(QStringLiteral("out")) || parser.isSet(QStringLiteral("include")) || parser.isSet(QStringLiteral("heads")) ||
            parser.isSet(QStringLiteral("format")))
            return usageError(QStringLiteral("--save-trace writes a trace file: give it without --out, --include, --heads or --format"));
        if (parser.isSet(QStringLiteral("trace-dtype"))) {
            QString error;
            if (!storageOption(parser.value(QStringLiteral("trace-dtype")), &traceOptions.dtype, &error))
                return usageError(QStringLiteral("--trace-dtype must be f32, f16 or bf16, not '%1'").arg(parser.value(QStringLiteral("trace-dtype"))));
        }
        if (parser.isSet(QStringLiteral("trace-holds"))) {
            traceOptions.matrices = traceOptions.qk = traceOptions.v = traceOptions.hidden = false;
            for (const QString& part : parser.value(QStringLiteral("trace-holds")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const QString p = part.trimmed();
                if (p == QLatin1String("matrices")) traceOptions.matrices = true;
                else if (p == QLatin1String("qk")) traceOptions.qk = true;
                else if (p == QLatin1String("v")) traceOptions.v = true;
                else if (p == QLatin1String("hidden")) traceOptions.hidden = true;
                else return usageError(QStringLiteral("--trace-holds: unknown part '%1' (matrices, qk, v, hidden)").arg(p));
            }
            if (!traceOptions.matrices && !traceOptions.qk) return usageError(QStringLiteral("--trace-holds needs matrices or qk (or both)"));
        }
    } else if (parser.isSet(QStringLiteral("trace-holds")) || parser.isSet(QStringLiteral("trace-dtype"))) {
        return usageError(QStringLiteral("--trace-holds and --trace-dtype go with --save-trace FILE"));
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
    if (saveTrace) {
        core::TraceInfo info;
        info.model = parser.isSet(QStringLiteral("model")) ? parser.value(QStringLiteral("model")) : model->config().name;
        info.modelType = model->config().modelType;
        info.text = image ? QString() : parser.value(QStringLiteral("text"));
        info.setTokens(analysis->encoding);
        if (image) {
            info.offsets.clear();
            info.imageGrid = model->config().patchesPerSide();
#ifdef ATTNSCOPE_HAVE_UI
            auto decoded = decodeImageQuietly(parser.value(QStringLiteral("image")));  // decoded before, so it decodes again
            if (!decoded) return fail(decoded.error());
            traceOptions.picture = ui::tracePicture(decoded->image);
#endif
        }
        traceOptions.layers = selection.layers;
        if (core::Status s = core::saveTraceFile(parser.value(QStringLiteral("save-trace")), *analysis->trace, info, traceOptions); !s) return fail(s.error());
        return kExitOk;
    }

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
