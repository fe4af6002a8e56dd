#include "cli_common.h"
#include "commands.h"

#include "model/text_analysis.h"
#include "train/teaching_trainer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>

#include <cstdio>

namespace attnscope::cli {

using namespace attnscope::core;

int runTrainTeaching(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder for the trained model (a Hugging Face BERT folder)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 7)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("steps"), QStringLiteral("Training steps of 32 sentences (default 6000, about a minute on 2 cores)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads (default 2)."), QStringLiteral("T")});
    if (int status = parseCommand(parser, args, QStringLiteral("Trains AttnScope's teaching model: a small BERT that resolves pronouns in "
                                                               "Winograd-style sentences. Progress on stderr; a JSON summary on stdout."));
        status >= 0)
        return status;
    QString error;
    train::TeachingOptions options;
    options.seed = uint32_t(intOption(parser, QStringLiteral("seed"), 7, 0, 1 << 30, &error));
    options.steps = intOption(parser, QStringLiteral("steps"), options.steps, 1, 1000000, &error);
    options.threads = intOption(parser, QStringLiteral("threads"), 2, 1, 64, &error);
    if (!error.isEmpty()) return usageError(error);
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) return usageError(QStringLiteral("--out DIR is required"));
    if (QDir(out).exists() && !QDir(out).isEmpty() && !QFileInfo::exists(QDir(out).filePath(QStringLiteral("config.json"))))
        return usageError(QStringLiteral("%1 exists and is not an AttnScope model folder; choose an empty or new folder").arg(out));

    QElapsedTimer timer;
    timer.start();
    train::TeachingTrainer trainer(options);
    trainer.train([](const train::TeachingProgress& p) {
        std::fprintf(stderr, "step %5d/%d  loss %.3f  referent accuracy %.0f%%  %.0f s\n", p.step, p.steps, p.loss,
                     p.referentAccuracy * 100, p.seconds);
        return true;
    }, 100);
    auto snapshot = trainer.snapshot();
    if (!snapshot) return fail(snapshot.error());
    auto eval = train::evaluateTeachingModel(*snapshot, trainer.corpus().heldOut(options.heldOut));
    if (!eval) return fail(eval.error());
    if (Status s = trainer.exportFolder(out, std::make_pair(eval->bestLayer, eval->bestHead)); !s) return fail(s.error());

    return printJsonLine(QJsonObject{{"out", QDir(out).absolutePath()},
                                     {"steps", trainer.stepsDone()},
                                     {"seconds", double(timer.nsecsElapsed()) / 1e9},
                                     {"held_out_sentences", eval->sentences},
                                     {"referent_accuracy", eval->referentAccuracy},
                                     {"coreference_head", QJsonArray{eval->bestLayer, eval->bestHead}},
                                     {"coreference_head_accuracy", eval->bestHeadAccuracy}});
}

}  // namespace attnscope::cli
