#include "cli_common.h"
#include "commands.h"

#include "analysis/compare.h"
#include "export/figure_export.h"
#include "io/json_writer.h"
#include "model/text_analysis.h"
#include "render/compare_spec.h"

#include <QFontDatabase>

#include <limits>

namespace attnscope::cli {
using namespace attnscope::ui;
namespace {

void writeSquare(core::JsonWriter& json, const std::vector<float>& m, int n) {
    json.beginArray();
    for (int i = 0; i < n; ++i) json.floats(m.data() + size_t(i) * size_t(n), n);
    json.endArray();
}

core::Status writeComparisonJson(QIODevice& out, const QString& modelType, const core::Comparison& c) {
    core::JsonWriter json(&out);
    json.beginObject();
    json.key(QStringLiteral("model_type"));
    json.value(modelType);
    json.key(QStringLiteral("layer"));
    json.value(c.layer);
    json.key(QStringLiteral("head"));
    json.value(c.head);
    for (const auto& [key, tokens] : {std::pair{QStringLiteral("tokens_a"), &c.tokensA}, std::pair{QStringLiteral("tokens_b"), &c.tokensB}}) {
        json.key(key);
        json.beginArray();
        for (const QString& t : *tokens) json.value(t);
        json.endArray();
    }
    json.key(QStringLiteral("alignment"));  // [m] of [index in a or null, index in b or null]
    json.beginArray();
    for (int r = 0; r < c.size(); ++r) {
        const float pair[2] = {c.alignment.a[size_t(r)] < 0 ? std::numeric_limits<float>::quiet_NaN() : float(c.alignment.a[size_t(r)]),
                               c.alignment.b[size_t(r)] < 0 ? std::numeric_limits<float>::quiet_NaN() : float(c.alignment.b[size_t(r)])};
        json.floats(pair, 2);
    }
    json.endArray();
    json.key(QStringLiteral("a"));
    writeSquare(json, c.a, int(c.tokensA.size()));
    json.key(QStringLiteral("b"));
    writeSquare(json, c.b, int(c.tokensB.size()));
    json.key(QStringLiteral("diff"));  // [m][m], null in gaps
    writeSquare(json, c.diff, c.size());
    json.endObject();
    json.endLine();
    if (!json.flush()) return core::internalError(QStringLiteral("cannot write the output"));
    return {};
}

}  // namespace

int runCompare(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("Input A."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("text-b"), QStringLiteral("Input B."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("trace"), QStringLiteral("Input A as a trace file (with --trace-b; no model runs)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("trace-b"), QStringLiteral("Input B as a trace file of the same model."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("layer"), QStringLiteral("Layer (from 0; default: with --head unset, the head that changes most)."), QStringLiteral("L")});
    parser.addOption({QStringLiteral("head"), QStringLiteral("Head (from 0)."), QStringLiteral("H")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output: .json (default: JSON on standard output), .png, .svg or .pdf."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("dpi"), QStringLiteral("PNG resolution (default 144)."), QStringLiteral("DPI")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Compares one head's attention for two inputs: aligned by position (same token "
                                                               "count) or by the longest common token subsequence; diff = B - A."));
        status >= 0)
        return status;
    const bool traces = parser.isSet(QStringLiteral("trace")) || parser.isSet(QStringLiteral("trace-b"));
    if (traces && (!parser.isSet(QStringLiteral("trace")) || !parser.isSet(QStringLiteral("trace-b")) || parser.isSet(QStringLiteral("text")) ||
                   parser.isSet(QStringLiteral("text-b")) || parser.isSet(QStringLiteral("model"))))
        return usageError(QStringLiteral("give both --trace A and --trace-b B (without --model, --text or --text-b)"));
    if (!traces && (!parser.isSet(QStringLiteral("text")) || !parser.isSet(QStringLiteral("text-b"))))
        return usageError(QStringLiteral("give both --text A and --text-b B (or --trace A and --trace-b B)"));
    if (parser.isSet(QStringLiteral("layer")) != parser.isSet(QStringLiteral("head")))
        return usageError(QStringLiteral("give --layer and --head together (or neither: the head that changes most)"));
    const QString path = parser.value(QStringLiteral("out"));
    const bool json = path.isEmpty() || path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    const auto format = json ? std::nullopt : figureFormatFromPath(path);
    if (!json && !format) return usageError(QStringLiteral("--out must end in .json, .png, .svg or .pdf, not '%1'").arg(path));
    QString error;
    const int dpi = intOption(parser, QStringLiteral("dpi"), 144, 36, 1200, &error);
    if (!error.isEmpty()) return usageError(error);
    core::TextAnalysis ra, rb;
    QString modelType, textA, textB;
    if (traces) {
        auto ta = openTraceWithProgress(parser.value(QStringLiteral("trace")));
        if (!ta) return fail(core::inputError(QStringLiteral("--trace: %1").arg(ta.error().message)));
        auto tb = openTraceWithProgress(parser.value(QStringLiteral("trace-b")));
        if (!tb) return fail(core::inputError(QStringLiteral("--trace-b: %1").arg(tb.error().message)));
        const core::TraceInfo& ia = (*ta)->info;
        const core::TraceInfo& ib = (*tb)->info;
        if (ia.layers != ib.layers || ia.heads != ib.heads || ia.numLayers != ib.numLayers)
            return fail(core::inputError(QStringLiteral("--trace and --trace-b differ in their layers or heads (%1 layers x %2 heads against %3 x %4): "
                                                        "compare needs two runs of one model").arg(ia.layers.size()).arg(ia.heads).arg(ib.layers.size()).arg(ib.heads)));
        ra.encoding = ia.encoding();
        ra.trace = (*ta)->trace;
        rb.encoding = ib.encoding();
        rb.trace = (*tb)->trace;
        modelType = ia.modelType;
        textA = ia.text;
        textB = ib.text;
    } else {
        auto model = loadModelOption(parser);
        if (!model) return fail(model.error());
        if (!model->tokenizer) return usageError(QStringLiteral("%1 is an image model: compare reads two texts").arg(model->config().name));
        core::AnalysisOptions options;
        options.truncate = parser.isSet(QStringLiteral("truncate"));
        auto a = core::analyzeText(*model, parser.value(QStringLiteral("text")), options);
        if (!a) return fail(core::inputError(QStringLiteral("--text: %1").arg(a.error().message)));
        auto b = core::analyzeText(*model, parser.value(QStringLiteral("text-b")), options);
        if (!b) return fail(core::inputError(QStringLiteral("--text-b: %1").arg(b.error().message)));
        ra = std::move(a).value();
        rb = std::move(b).value();
        modelType = model->config().modelType;
        textA = parser.value(QStringLiteral("text"));
        textB = parser.value(QStringLiteral("text-b"));
    }
    const core::TextAnalysis* a = &ra;
    const core::TextAnalysis* b = &rb;
    int layer = 0, head = 0;
    if (parser.isSet(QStringLiteral("layer"))) {
        const int number = intOption(parser, QStringLiteral("layer"), 0, 0, a->trace->modelLayers() - 1, &error);
        head = error.isEmpty() ? intOption(parser, QStringLiteral("head"), 0, 0, a->trace->heads() - 1, &error) : 0;
        if (!error.isEmpty()) return usageError(error);
        layer = -1;
        for (int l = 0; l < a->trace->layers(); ++l)
            if (a->trace->layerNumber(l) == number) layer = l;
        if (layer < 0) return usageError(QStringLiteral("--layer %1: the traces do not hold that layer").arg(number));
    }
    const QStringList& ta = a->encoding.tokens;
    const QStringList& tb = b->encoding.tokens;
    const core::HeadRef chosen = parser.isSet(QStringLiteral("layer")) ? core::HeadRef{layer, head}
                                                                       : core::mostChangedHead(ta, *a->trace, tb, *b->trace);
    core::Comparison c = core::compareHead(ta, *a->trace, tb, *b->trace, chosen.layer, chosen.head);
    c.layer = a->trace->layerNumber(c.layer);  // the model's number (a trace may hold some layers)
    if (json) {
        Output out;
        if (core::Status s = out.open(path); !s) return fail(s.error());
        if (core::Status s = out.commit(writeComparisonJson(*out.device(), modelType, c)); !s) return fail(s.error());
        return kExitOk;
    }
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPointSizeF(10);
    HeatmapSpec spec = comparisonSpec(c, font, Qt::black);
    spec.vectorCells = *format != FigureFormat::Png;
    FigureOptions figure;
    figure.dpi = dpi;
    figure.size = QSizeF(std::clamp(160 + 14.0 * c.size(), 480.0, 1400.0), std::clamp(180 + 14.0 * c.size(), 420.0, 1400.0));
    figure.title = QStringLiteral("AttnScope compare: %1 / %2").arg(textA, textB);
    core::Status s;
    withQuietStderr([&] {
        s = exportFigure(path, *format, figure, [&](QPainter& p, const QRectF& rect) { paintHeatmap(p, rect.adjusted(8, 8, -8, -8), spec); });
    });
    if (!s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
