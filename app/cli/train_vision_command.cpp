#include "cli_common.h"
#include "commands.h"

#include "train/vision_teaching_trainer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QSaveFile>

#include <cstdio>

namespace attnscope::cli {

using namespace attnscope::core;

namespace {

// A few held-out pictures (one per colour, shapes in turn) as PNG files in DIR/examples.
Status writeExamples(const train::ShapesDataset& dataset, const QString& folder) {
    const QDir dir(folder);
    if (!dir.mkpath(QStringLiteral("examples"))) return inputError(QStringLiteral("%1: cannot create examples/").arg(folder));
    std::mt19937 rng(20261124);
    const int colours = int(train::ShapesDataset::colourNames().size()), shapes = int(train::ShapesDataset::shapeNames().size());
    for (int c = 0; c < colours; ++c) {
        const train::ShapesImage img = dataset.sample(rng, c, c % shapes);
        QImage out(img.rgb.width, img.rgb.height, QImage::Format_RGB32);
        for (int y = 0; y < out.height(); ++y)
            for (int x = 0; x < out.width(); ++x)
                out.setPixel(x, y, qRgb(int(img.rgb.at(0, y, x)), int(img.rgb.at(1, y, x)), int(img.rgb.at(2, y, x))));
        QSaveFile file(dir.filePath(QStringLiteral("examples/%1.png").arg(img.name().replace(QLatin1Char(' '), QLatin1Char('-')))));
        if (!file.open(QIODevice::WriteOnly) || !out.save(&file, "PNG") || !file.commit())
            return inputError(QStringLiteral("%1: cannot write the example images").arg(folder));
    }
    return {};
}

}  // namespace

int runTrainVisionTeaching(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder for the trained model (a Hugging Face ViT folder)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 11)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("steps"), QStringLiteral("Training steps of 32 images (default 1500)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads (default 2)."), QStringLiteral("T")});
    if (int status = parseCommand(parser, args, QStringLiteral("Trains AttnScope's image teaching model: a small ViT that names the colour of "
                                                               "the one coloured shape among grey ones. Progress on stderr; a JSON summary on stdout."));
        status >= 0)
        return status;
    QString error;
    train::VisionTeachingOptions options;
    options.seed = uint32_t(intOption(parser, QStringLiteral("seed"), int(options.seed), 0, 1 << 30, &error));
    options.steps = intOption(parser, QStringLiteral("steps"), options.steps, 1, 1000000, &error);
    options.threads = intOption(parser, QStringLiteral("threads"), 2, 1, 64, &error);
    if (!error.isEmpty()) return usageError(error);
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) return usageError(QStringLiteral("--out DIR is required"));
    if (QDir(out).exists() && !QDir(out).isEmpty() && !QFileInfo::exists(QDir(out).filePath(QStringLiteral("config.json"))))
        return usageError(QStringLiteral("%1 exists and is not an AttnScope model folder; choose an empty or new folder").arg(out));

    QElapsedTimer timer;
    timer.start();
    train::VisionTeachingTrainer trainer(options);
    trainer.train([](const train::VisionTeachingProgress& p) {
        std::fprintf(stderr, "step %5d/%d  loss %.3f  accuracy %.0f%%  %.0f s\n", p.step, p.steps, p.loss, p.accuracy * 100, p.seconds);
        return true;
    }, 100);
    auto snapshot = trainer.snapshot();
    if (!snapshot) return fail(snapshot.error());
    auto eval = train::evaluateVisionTeachingModel(*snapshot, train::visionTeachingPreprocessor(options.model.imageSize),
                                                   trainer.dataset().heldOut(options.heldOut));
    if (!eval) return fail(eval.error());
    if (Status s = trainer.exportFolder(out, std::make_pair(eval->bestLayer, eval->bestHead)); !s) return fail(s.error());
    if (Status s = writeExamples(trainer.dataset(), out); !s) return fail(s.error());

    return printJsonLine(QJsonObject{{"out", QDir(out).absolutePath()},
                                     {"steps", trainer.stepsDone()},
                                     {"seconds", double(timer.nsecsElapsed()) / 1e9},
                                     {"held_out_images", eval->images},
                                     {"accuracy", eval->accuracy},
                                     {"cls_head", QJsonArray{eval->bestLayer, eval->bestHead}},
                                     {"cls_head_hit_rate", eval->bestHeadHitRate},
                                     {"rollout_hit_rate", eval->rolloutHitRate}});
}

}  // namespace attnscope::cli
