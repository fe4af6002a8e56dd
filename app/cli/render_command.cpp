#include "cli_common.h"
#include "commands.h"

#include "export/figure_export.h"
#include "render/qkv_painter.h"
#include "analysis/qk_projection.h"
#include "render/aggregate_spec.h"
#include "render/view_specs.h"
#include "session/analysis_session.h"
#include "session/image_analysis.h"
#include "session/trace_result.h"

#include <QFontDatabase>
#include <QGuiApplication>

namespace attnscope::cli {

using namespace attnscope::ui;

int runRender(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("The input image, for image models (default model: the built-in image teaching model)."),
                      QStringLiteral("FILE")});
    parser.addOption(traceFileOption());
    parser.addOption({QStringLiteral("view"), QStringLiteral("links, heatmap, grid, qkv, aggregate, lens, qkspace or image (needs --image)."), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("aggregate"), QStringLiteral("aggregate: mean (default) or max of the layer's heads, or rollout through the layer."),
                      QStringLiteral("MODE")});
    parser.addOption({QStringLiteral("projection"), QStringLiteral("qkspace: pca (default) or tsne (up to 1000 tokens)."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("weights"), QStringLiteral("attention (default) or value-norms: every view shows value-weighted norms (rows as shares)."),
                      QStringLiteral("W")});
    parser.addOption({QStringLiteral("ablate"), QStringLiteral("Switch these heads off first, e.g. 3:1,5:0 (LAYER:HEAD)."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("overlay"), QStringLiteral("image: attention (default; from [CLS] or --token), rollout, dino or heads."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("fusion"), QStringLiteral("image rollout: mean (default), max or min."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("discard"), QStringLiteral("image rollout: drop this lowest share of weights, 0..0.99 (default 0)."), QStringLiteral("R")});
    parser.addOption({QStringLiteral("keep"), QStringLiteral("image dino: patches holding this share of [CLS] attention (default 0.6)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("opacity"), QStringLiteral("image: overlay opacity 0..1 (default 0.6)."), QStringLiteral("A")});
    parser.addOption({QStringLiteral("nearest"), QStringLiteral("image: one block per patch instead of smooth upsampling.")});
    parser.addOption({QStringLiteral("tint"), QStringLiteral("image: colour the attention with the colour map instead of darkening what is not attended.")});
    parser.addOption({QStringLiteral("step"), QStringLiteral("qkv: show steps 1..S of the model's 10 (11 with the rotary decoders' rotation; default all)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("layer"), QStringLiteral("Layer, counting from 0 (default 0)."), QStringLiteral("L")});
    parser.addOption({QStringLiteral("head"), QStringLiteral("Head, counting from 0 (default 0)."), QStringLiteral("H")});
    parser.addOption({QStringLiteral("heads"), QStringLiteral("one (default), average or all."), QStringLiteral("MODE")});
    parser.addOption({QStringLiteral("token"), QStringLiteral("Token to single out, counting from 0."), QStringLiteral("I")});
    parser.addOption({QStringLiteral("only-heads"), QStringLiteral("links with --heads all: draw only these heads (comma-separated, e.g. 0,3,7)."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("links"),
                      QStringLiteral("links: with --token, draw what it attends to (attends-to, default) or who attends to it (attended-by)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("colormap"), QStringLiteral("viridis (default), magma, cividis, greys or rdbu."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("log"), QStringLiteral("Log colour scale (1e-4 .. 1).")});
    parser.addOption({QStringLiteral("hide-first-token"),
                      QStringLiteral("Attention sinks: drop the first key and renormalise each row (said in the figure's title).")});
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
    if (!figureNames().contains(view))
        return usageError(QStringLiteral("--view must be links, heatmap, grid, qkv, aggregate, lens, qkspace or image%1")
                              .arg(view.isEmpty() ? QString() : QStringLiteral(", not '%1'").arg(view)));
    const bool image = parser.isSet(QStringLiteral("image"));
    if (view == QLatin1String("image") && !image && !parser.isSet(QStringLiteral("trace"))) return usageError(QStringLiteral("--view image needs --image FILE"));
    if (image && parser.isSet(QStringLiteral("text"))) return usageError(QStringLiteral("give --text or --image, not both"));
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) return usageError(QStringLiteral("--out FILE.png|svg|pdf is required"));
    const auto format = figureFormatFromPath(out);
    if (!format) return usageError(QStringLiteral("--out must end in .png, .svg or .pdf"));
    QString error;
    const int dpi = intOption(parser, QStringLiteral("dpi"), 200, 30, 1200, &error);
    int step = intOption(parser, QStringLiteral("step"), kQkvMaxSteps, 1, kQkvMaxSteps, &error);
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
        if (!ok || !(threshold >= 0 && threshold <= 1)) error = QStringLiteral("--threshold must be a number from 0 to 1");
    }
    ImageOptions imageOptions;
    imageOptions.overlay = ImageOverlay::Attention;  // the CLI's documented default (the app opens on rollout)
    const QStringList overlays{QStringLiteral("attention"), QStringLiteral("rollout"), QStringLiteral("dino"), QStringLiteral("heads")};
    if (parser.isSet(QStringLiteral("overlay"))) {
        const int index = overlays.indexOf(parser.value(QStringLiteral("overlay")));
        if (index < 0) error = QStringLiteral("--overlay must be attention, rollout, dino or heads");
        imageOptions.overlay = ImageOverlay(std::max(0, index));
    }
    const QStringList fusions{QStringLiteral("mean"), QStringLiteral("max"), QStringLiteral("min")};
    if (parser.isSet(QStringLiteral("fusion"))) {
        const int index = fusions.indexOf(parser.value(QStringLiteral("fusion")));
        if (index < 0) error = QStringLiteral("--fusion must be mean, max or min");
        imageOptions.fusion = core::HeadFusion(std::max(0, index));
    }
    auto fraction = [&](const char* name, float min, float max, float* into) {
        if (!parser.isSet(QLatin1String(name))) return;
        bool ok = false;
        const float v = parser.value(QLatin1String(name)).toFloat(&ok);
        if (!ok || !(v >= min && v <= max)) error = QStringLiteral("--%1 must be a number from %2 to %3").arg(QLatin1String(name)).arg(double(min)).arg(double(max));
        else *into = v;
    };
    fraction("discard", 0.0f, 0.99f, &imageOptions.discard);
    fraction("keep", 0.01f, 1.0f, &imageOptions.keep);
    fraction("opacity", 0.0f, 1.0f, &imageOptions.opacity);
    imageOptions.smooth = !parser.isSet(QStringLiteral("nearest"));
    imageOptions.spotlight = !parser.isSet(QStringLiteral("tint"));
    const QString links = parser.value(QStringLiteral("links"));
    if (!links.isEmpty() && links != QLatin1String("attends-to") && links != QLatin1String("attended-by") && error.isEmpty())
        error = QStringLiteral("--links must be attends-to or attended-by, not '%1'").arg(links);
    AggregateMode aggregate = AggregateMode::Mean;
    if (parser.isSet(QStringLiteral("aggregate")) && !aggregateFromName(parser.value(QStringLiteral("aggregate")), &aggregate) && error.isEmpty())
        error = QStringLiteral("--aggregate must be mean, max or rollout, not '%1'").arg(parser.value(QStringLiteral("aggregate")));
    const QString projection = parser.value(QStringLiteral("projection"));
    if (!projection.isEmpty() && projection != QLatin1String("pca") && projection != QLatin1String("tsne") && error.isEmpty())
        error = QStringLiteral("--projection must be pca or tsne, not '%1'").arg(projection);
    AnalysisSettings settings;
    const QString weights = parser.value(QStringLiteral("weights"));
    if (!weights.isEmpty() && weights != QLatin1String("attention") && weights != QLatin1String("value-norms") && error.isEmpty())
        error = QStringLiteral("--weights must be attention or value-norms, not '%1'").arg(weights);
    settings.valueWeighted = weights == QLatin1String("value-norms");
    settings.lens = view == QLatin1String("lens");
    if (!error.isEmpty()) return usageError(error);

    core::Result<AnalysisResultPtr> result = core::inputError(QString());
    if (parser.isSet(QStringLiteral("trace"))) {
        for (const char* other : {"model", "text", "image", "ablate", "truncate"})
            if (parser.isSet(QLatin1String(other)))
                return usageError(QStringLiteral("--trace draws a recorded run: give it without --%1").arg(QLatin1String(other)));
        if (settings.valueWeighted) return usageError(QStringLiteral("--weights value-norms needs the model's output projection; a trace file has none"));
        auto opened = openTraceWithProgress(parser.value(QStringLiteral("trace")));
        if (!opened) return fail(opened.error());
        result = traceAnalysisResult(*opened);
        if (const QString why = viewUnavailable(**result, view); !why.isEmpty())
            return fail(core::inputError(QStringLiteral("--view %1: %2").arg(view, why)));
        if (view == QLatin1String("aggregate") && aggregate == AggregateMode::Rollout)
            if (core::Status s = needsEveryLayer(*(*result)->trace, QStringLiteral("--aggregate rollout")); !s) return fail(s.error());
    } else if (image) {
        auto model = loadModelOption(parser);
        if (!model) return fail(model.error());
        auto ablate = ablateOption(parser, model->config());
        if (!ablate) return fail(ablate.error());
        settings.ablate = *ablate;
        if (!model->config().isVision()) return fail(core::inputError(imageToTextModelError(*model)));
        auto decoded = decodeImageQuietly(parser.value(QStringLiteral("image")));
        if (!decoded) return fail(decoded.error());
        result = runImageAnalysis(*model, *decoded, parser.value(QStringLiteral("image")), AnalysisSession::kTopK, 0, nullptr, settings);
    } else {
        auto model = loadModelOption(parser);
        if (!model) return fail(model.error());
        auto ablate = ablateOption(parser, model->config());
        if (!ablate) return fail(ablate.error());
        settings.ablate = *ablate;
        if (model->config().isVision()) return fail(core::inputError(textToImageModelError(*model) + QStringLiteral(" (--image FILE)")));
        auto text = textOption(parser);
        if (!text) return fail(text.error());
        result = runAnalysis(*model, *text, parser.isSet(QStringLiteral("truncate")), 0, nullptr, settings);
    }
    if (!result) return fail(result.error());
    if (settings.lens && !(*result)->lens) return fail(core::inputError(QStringLiteral("--view lens: %1").arg((*result)->lensNote)));
    if (!(*result)->weightsNote.isEmpty()) return fail(core::inputError(QStringLiteral("--weights value-norms: %1").arg((*result)->weightsNote)));
    const core::AttentionTrace& t = *(*result)->trace;
    const int number = intOption(parser, QStringLiteral("layer"), t.layerNumber(0), 0, t.modelLayers() - 1, &error);
    int layer = 0;
    for (int l = 0; l < t.layers(); ++l)
        if (t.layerNumber(l) == number) layer = l;
    if (error.isEmpty() && t.layerNumber(layer) != number)
        error = QStringLiteral("--layer %1: the trace holds layers %2").arg(number).arg(core::layerRangesText((*result)->traceFile->info.layers));
    const int head = intOption(parser, QStringLiteral("head"), 0, 0, t.heads() - 1, &error);
    const int token = intOption(parser, QStringLiteral("token"), -1, 0, t.tokens() - 1, &error);
    QList<int> hidden;
    if (parser.isSet(QStringLiteral("only-heads"))) {
        QList<int> only;
        for (const QString& part : parser.value(QStringLiteral("only-heads")).split(QLatin1Char(','))) {
            bool ok = false;
            const int h = part.trimmed().toInt(&ok);
            if (!ok || h < 0 || h >= t.heads()) {
                if (error.isEmpty()) error = QStringLiteral("--only-heads must list head numbers from 0 to %1, not '%2'").arg(t.heads() - 1).arg(part);
                break;
            }
            only << h;
        }
        for (int h = 0; h < t.heads(); ++h)
            if (!only.contains(h)) hidden << h;
    }
    const int steps = int(qkvSteps(t.rotary()).size());
    if (parser.isSet(QStringLiteral("step")) && step > steps && error.isEmpty())
        error = QStringLiteral("--step %1: this model's Q/K/V trace has %2 steps").arg(step).arg(steps);
    step = std::min(step, steps);
    if (!error.isEmpty()) return usageError(error);

    ViewState state;
    state.setLimits(t.layers(), t.heads(), t.tokens());
    state.setLayer(layer);
    state.setHead(head);
    state.setHeadMode(mode);
    state.setPinnedToken(token);
    state.setColormap(map);
    state.setLogScale(parser.isSet(QStringLiteral("log")));
    state.setHideFirstToken(parser.isSet(QStringLiteral("hide-first-token")));
    state.setThreshold(threshold);
    state.setLinkDirection(links == QLatin1String("attended-by") ? LinkDirection::AttendedBy : LinkDirection::AttendsTo);
    state.setImageOptions(imageOptions);
    state.setHiddenHeads(hidden);
    state.setAggregate(aggregate);
    state.setQkProjection(projection == QLatin1String("tsne") ? QkProjection::Tsne : QkProjection::Pca);
    if (view == QLatin1String("qkspace") && projection == QLatin1String("tsne") && 2 * t.tokens() > core::kMaxTsnePoints)
        return usageError(QStringLiteral("--projection tsne runs on up to %1 tokens; this input has %2 (use pca)").arg(core::kMaxTsnePoints / 2).arg(t.tokens()));

    FigureStyle style;
    style.font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    style.font.setPointSizeF(10);
    style.vector = *format != FigureFormat::Png;
    FigureOptions options;
    options.dpi = dpi;
    options.transparent = parser.isSet(QStringLiteral("transparent"));
    options.title = QStringLiteral("AttnScope %1: %2").arg(view, (*result)->text);
    options.size = figureSize(view, **result);
    core::Status s;
    withQuietStderr([&] {  // libpng reports a failed write on stderr itself; our one line says it
        s = exportFigure(out, *format, options, [&](QPainter& p, const QRectF& rect) {
            paintFigureByName(view, p, rect.adjusted(8, 8, -8, -8), **result, state, style, QkvOptions{step - 1, token});
        });
    });
    if (!s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
