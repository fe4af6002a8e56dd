#include "cli_common.h"
#include "commands.h"

#include "export/figure_export.h"
#include "render/qkv_painter.h"
#include "render/view_specs.h"
#include "session/analysis_session.h"

#include <QFontDatabase>
#include <QGuiApplication>

namespace attnscope::cli {

using namespace attnscope::ui;

int runRender(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("links, heatmap, grid or qkv."), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("step"), QStringLiteral("qkv: show steps 1..S of 10 (default all)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("layer"), QStringLiteral("Layer, counting from 0 (default 0)."), QStringLiteral("L")});
    parser.addOption({QStringLiteral("head"), QStringLiteral("Head, counting from 0 (default 0)."), QStringLiteral("H")});
    parser.addOption({QStringLiteral("heads"), QStringLiteral("one (default), average or all."), QStringLiteral("MODE")});
    parser.addOption({QStringLiteral("token"), QStringLiteral("Token to single out, counting from 0."), QStringLiteral("I")});
    parser.addOption({QStringLiteral("colormap"), QStringLiteral("viridis (default), magma, cividis, greys or rdbu."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("log"), QStringLiteral("Log colour scale (1e-4 .. 1).")});
    parser.addOption({QStringLiteral("threshold"), QStringLiteral("Links: hide weights below this (0..1)."), QStringLiteral("W")});
    parser.addOption({QStringLiteral("dpi"), QStringLiteral("PNG resolution (default 200)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("transparent"), QStringLiteral("No background fill.")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file: .png, .svg or .pdf."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Draws a view exactly as the app does, without a display, "
                                                               "into a PNG, SVG (text stays text) or PDF file."));
        status >= 0)
        return status;

    const QString view = parser.value(QStringLiteral("view"));
    if (view != QLatin1String("links") && view != QLatin1String("heatmap") && view != QLatin1String("grid") && view != QLatin1String("qkv"))
        return usageError(QStringLiteral("--view must be links, heatmap, grid or qkv%1")
                              .arg(view.isEmpty() ? QString() : QStringLiteral(", not '%1'").arg(view)));
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) return usageError(QStringLiteral("--out FILE.png|svg|pdf is required"));
    const auto format = figureFormatFromPath(out);
    if (!format) return usageError(QStringLiteral("--out must end in .png, .svg or .pdf"));
    QString error;
    const int dpi = intOption(parser, QStringLiteral("dpi"), 200, 30, 1200, &error);
    const int step = intOption(parser, QStringLiteral("step"), kQkvStepCount, 1, kQkvStepCount, &error);
    ColormapId map = ColormapId::Viridis;
    if (parser.isSet(QStringLiteral("colormap")) && !Colormap::fromName(parser.value(QStringLiteral("colormap")), &map))
        error = QStringLiteral("unknown --colormap '%1' (%2)").arg(parser.value(QStringLiteral("colormap")), Colormap::names().join(QStringLiteral(", ")));
    HeadMode mode = HeadMode::Single;
    const QString heads = parser.value(QStringLiteral("heads"));
    if (heads == QLatin1String("average")) mode = HeadMode::Average;
    else if (heads == QLatin1String("all")) mode = HeadMode::All;
    else if (!heads.isEmpty() && heads != QLatin1String("one")) error = QStringLiteral("--heads must be one, average or all");
    float threshold = 0;
    if (parser.isSet(QStringLiteral("threshold"))) {
        bool ok = false;
        threshold = parser.value(QStringLiteral("threshold")).toFloat(&ok);
        if (!ok || threshold < 0 || threshold > 1) error = QStringLiteral("--threshold must be a number from 0 to 1");
    }
    if (!error.isEmpty()) return usageError(error);

    auto text = textOption(parser);
    if (!text) return fail(text.error());
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    auto result = runAnalysis(*model, *text, parser.isSet(QStringLiteral("truncate")));
    if (!result) return fail(result.error());
    const core::AttentionTrace& t = *(*result)->trace;
    const int layer = intOption(parser, QStringLiteral("layer"), 0, 0, t.layers() - 1, &error);
    const int head = intOption(parser, QStringLiteral("head"), 0, 0, t.heads() - 1, &error);
    const int token = intOption(parser, QStringLiteral("token"), -1, 0, t.tokens() - 1, &error);
    if (!error.isEmpty()) return usageError(error);

    ViewState state;
    state.setLimits(t.layers(), t.heads(), t.tokens());
    state.setLayer(layer);
    state.setHead(head);
    state.setHeadMode(mode);
    state.setPinnedToken(token);
    state.setColormap(map);
    state.setLogScale(parser.isSet(QStringLiteral("log")));
    state.setThreshold(threshold);

    FigureStyle style;
    style.font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    style.font.setPointSizeF(10);
    style.vector = *format != FigureFormat::Png;
    FigureOptions options;
    options.dpi = dpi;
    options.transparent = parser.isSet(QStringLiteral("transparent"));
    options.title = QStringLiteral("AttnScope %1: %2").arg(view, (*result)->text);
    options.size = figureSize(view, **result);
    const core::Status s = exportFigure(out, *format, options, [&](QPainter& p, const QRectF& rect) {
        paintFigureByName(view, p, rect.adjusted(8, 8, -8, -8), **result, state, style, QkvOptions{step - 1, token});
    });
    if (!s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
