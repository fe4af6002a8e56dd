#include "cli_common.h"
#include "commands.h"

#include "analysis/rollout.h"
#include "io/json_writer.h"
#include "io/npy_writer.h"
#include "io/trace_export.h"
#include "model/text_analysis.h"
#include "render/colormap.h"
#include "session/image_input.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

namespace attnscope::cli {

namespace {

// The full rollout matrix R (n, n) of a text or an image: JSON {"tokens", "rollout"} or .npy.
int writeMatrix(const QCommandLineParser& parser, core::HeadFusion fusion, float discard, bool npy) {
    const auto input = commandInput(parser);
    if (!input) return fail(input.error());
    const core::TextAnalysis* analysis = &input->analysis;
    if (core::Status s = needsEveryLayer(*analysis->trace, QStringLiteral("rollout")); !s) return fail(s.error());
    const int n = analysis->trace->tokens();
    const std::vector<float> r = core::attentionRollout(*analysis->trace, fusion, discard);  // (n, n)
    Output output;
    if (core::Status s = output.open(parser.value(QStringLiteral("out"))); !s) return fail(s.error());
    core::Status written;
    if (npy) {
        written = core::writeNpy(*output.device(), {n, n}, r.data());
    } else {
        core::JsonWriter json(output.device());
        json.beginObject();
        json.key(QStringLiteral("tokens"));
        json.beginArray();
        for (const QString& t : analysis->encoding.tokens) json.value(t);
        json.endArray();
        json.key(QStringLiteral("rollout"));
        json.beginArray();
        for (int i = 0; i < n; ++i) json.floats(r.data() + size_t(i) * size_t(n), n);
        json.endArray();
        json.endObject();
        json.endLine();
        if (!json.flush()) written = core::internalError(QStringLiteral("cannot write the rollout"));
    }
    if (core::Status s = output.commit(written); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace

int runRollout(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Model folder or Hugging Face id (default: the built-in teaching model, or with "
                                                              "--image the built-in image teaching model)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("The image file (vision models)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The text (text models): the full rollout matrix."), QStringLiteral("T")});
    parser.addOption(traceFileOption());
    parser.addOption({QStringLiteral("format"), QStringLiteral("json ({\"tokens\", \"rollout\": [n][n]}; the default for --text) or npy "
                                                               "((n, n) float32). With --image and --out .png or .npy: the [CLS] map."),
                      QStringLiteral("F")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    parser.addOption({QStringLiteral("fusion"), QStringLiteral("How heads are combined per layer: mean (default), max or min."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("discard"), QStringLiteral("Fraction of the lowest weights dropped per layer, 0..1 (default 0)."), QStringLiteral("R")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Where to write (default: standard output, JSON only). With --image and no "
                                                            "--format: .npy the [CLS] rollout map (g, g) float32, max 1; .png the map over the image."),
                      QStringLiteral("FILE")});
    if (int status = parseCommand(parser, args, QStringLiteral("Attention rollout (Abnar & Zuidema 2020): per layer the heads fused, "
                                                               "A' = (A + I) / 2 rows renormalised, R = A'_L ... A'_1; for a ViT, where "
                                                               "[CLS] draws from across all layers."));
        status >= 0)
        return status;
    const QString fusionName = parser.value(QStringLiteral("fusion"));
    core::HeadFusion fusion = core::HeadFusion::Mean;
    if (fusionName == QLatin1String("max")) fusion = core::HeadFusion::Max;
    else if (fusionName == QLatin1String("min")) fusion = core::HeadFusion::Min;
    else if (!fusionName.isEmpty() && fusionName != QLatin1String("mean")) return usageError(QStringLiteral("--fusion must be mean, max or min"));
    float discard = 0;
    if (parser.isSet(QStringLiteral("discard"))) {
        bool ok = false;
        discard = parser.value(QStringLiteral("discard")).toFloat(&ok);
        if (!ok || !(discard >= 0 && discard < 1)) return usageError(QStringLiteral("--discard must be a number from 0 to below 1"));
    }
    const QString out = parser.value(QStringLiteral("out"));
    const QString ext = QFileInfo(out).suffix().toLower();
    const QString format = parser.value(QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("npy"))
        return usageError(QStringLiteral("--format must be json or npy, not '%1'").arg(format));
    if (int(parser.isSet(QStringLiteral("image"))) + int(parser.isSet(QStringLiteral("text"))) + int(parser.isSet(QStringLiteral("trace"))) != 1)
        return usageError(QStringLiteral("give one of --image, --text or --trace"));
    const bool imageMap = parser.isSet(QStringLiteral("image")) && format.isEmpty();  // the [CLS] map as before
    if (imageMap && (out.isEmpty() || (ext != QLatin1String("png") && ext != QLatin1String("npy"))))
        return usageError(QStringLiteral("--out FILE.png or FILE.npy is required for the image map (or --format json|npy for the whole matrix)"));
    if (format == QLatin1String("npy") && out.isEmpty()) return usageError(QStringLiteral("--format npy needs --out FILE.npy"));
    if (!imageMap) return writeMatrix(parser, fusion, discard, format == QLatin1String("npy"));
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    auto pixels = loadImageForModel(parser.value(QStringLiteral("image")), *model);
    if (!pixels) return fail(pixels.error());
    auto analysis = core::analyzeImage(*model, *pixels, {});
    if (!analysis) return fail(analysis.error());
    const std::vector<float> map = core::clsRolloutMap(*analysis->trace, fusion, discard);  // (g * g)
    const int g = model->config().patchesPerSide();

    core::Status written;
    withQuietStderr([&] { written = core::saveAtomically(out, [&](QIODevice& dev) -> core::Status {
        if (ext == QLatin1String("npy")) return core::writeNpy(dev, {g, g}, map.data());
        auto decoded = ui::decodeImageFile(parser.value(QStringLiteral("image")));  // stderr is quiet here already
        if (!decoded) return decoded.error();
        QImage picture = decoded->image.scaled(448, 448, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        QImage heat(g, g, QImage::Format_ARGB32);
        const ui::Colormap magma(ui::ColormapId::Magma);
        for (int r = 0; r < g; ++r)
            for (int c = 0; c < g; ++c) {
                QColor col = magma.color(map[size_t(r * g + c)]);
                col.setAlphaF(0.65);
                heat.setPixelColor(c, r, col);
            }
        {
            QPainter p(&picture);
            p.setRenderHint(QPainter::SmoothPixmapTransform, true);
            p.drawImage(picture.rect(), heat);
        }
        return picture.save(&dev, "PNG") ? core::Status() : core::Status(core::internalError(QStringLiteral("cannot encode the PNG")));
    }); });
    if (!written) return fail(written.error());
    return kExitOk;
}

}  // namespace attnscope::cli
