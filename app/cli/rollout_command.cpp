#include "cli_common.h"
#include "commands.h"

#include "analysis/rollout.h"
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

int runRollout(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("A ViT model folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("The image file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("fusion"), QStringLiteral("How heads are combined per layer: mean (default), max or min."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("discard"), QStringLiteral("Fraction of the lowest weights dropped per layer, 0..1 (default 0)."), QStringLiteral("R")});
    parser.addOption({QStringLiteral("out"), QStringLiteral(".npy: the [CLS] rollout map (g, g) float32, max 1; .png: the map over the image."),
                      QStringLiteral("FILE")});
    if (int status = parseCommand(parser, args, QStringLiteral("Attention rollout (Abnar & Zuidema 2020) of a ViT: where [CLS] "
                                                               "draws from across all layers."));
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
    if (out.isEmpty() || (ext != QLatin1String("png") && ext != QLatin1String("npy")))
        return usageError(QStringLiteral("--out FILE.png or FILE.npy is required"));
    if (!parser.isSet(QStringLiteral("image"))) return usageError(QStringLiteral("--image FILE is required"));
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
