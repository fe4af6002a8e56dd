#include "cli_common.h"
#include "commands.h"

#include "model/text_analysis.h"
#include "train/probe_sentences.h"
#include "train/teaching_trainer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTextStream>

#include <cstdio>

namespace attnscope::cli {

using namespace attnscope::core;

namespace {

// "The animal didn't cross the road because [it] was tired.  -> animal"
QString marked(const train::WinogradSentence& s) {
    QString text = s.text;
    text.insert(s.pronounStart + s.pronounLength, QLatin1Char(']'));
    text.insert(s.pronounStart, QLatin1Char('['));
    return text + QStringLiteral("  -> ") + s.referent;
}

int printCorpus(const train::WinogradCorpus& corpus, int count) {
    std::mt19937 rng(corpus.seed());
    QTextStream out(stdout);
    out << "# training\n";
    for (int i = 0; i < count; ++i) out << marked(corpus.trainingSentence(rng)) << '\n';
    out << "# held out\n";
    for (const train::WinogradSentence& s : corpus.heldOut(count)) out << marked(s) << '\n';
    return 0;
}

}  // namespace

int runTrainTeaching(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder for the trained model (a Hugging Face BERT folder)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 7)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("steps"), QStringLiteral("Training steps of 32 sentences (default: the shipped model's)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads (default 2; the weights depend on it)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("quick"), QStringLiteral("The Train view's smaller model (about a minute on 2 cores).")});
    parser.addOption({QStringLiteral("layers"), QStringLiteral("Encoder layers."), QStringLiteral("L")});
    parser.addOption({QStringLiteral("hidden"), QStringLiteral("Hidden size (a multiple of --heads)."), QStringLiteral("H")});
    parser.addOption({QStringLiteral("heads"), QStringLiteral("Attention heads per layer."), QStringLiteral("A")});
    parser.addOption({QStringLiteral("intermediate"), QStringLiteral("Feed-forward size."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("attend-weight"),
                      QStringLiteral("Weight of the coreference head's loss (0: every head learns freely)."), QStringLiteral("W")});
    parser.addOption({QStringLiteral("check"),
                      QStringLiteral("Also report how the trained model does on these sentences (sentence TAB pronoun TAB referent per "
                                     "line, as tests/data/teacher_sentences.tsv)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("print-corpus"),
                      QStringLiteral("Print N training sentences (pronoun and referent marked) and N held-out ones instead of training."),
                      QStringLiteral("N")});
    if (int status = parseCommand(parser, args, QStringLiteral("Trains AttnScope's teaching model: a small BERT that resolves pronouns in "
                                                               "Winograd-style sentences. Progress on stderr; a JSON summary on stdout."));
        status >= 0)
        return status;
    QString error;
    train::TeachingOptions options = parser.isSet(QStringLiteral("quick")) ? train::TeachingOptions::quick() : train::TeachingOptions();
    options.seed = uint32_t(intOption(parser, QStringLiteral("seed"), 7, 0, 1 << 30, &error));
    options.steps = intOption(parser, QStringLiteral("steps"), options.steps, 1, 1000000, &error);
    options.threads = intOption(parser, QStringLiteral("threads"), 2, 1, 64, &error);
    train::TrainableBertConfig& m = options.model;
    m.layers = intOption(parser, QStringLiteral("layers"), m.layers, 1, 24, &error);
    m.heads = intOption(parser, QStringLiteral("heads"), m.heads, 1, 32, &error);
    m.hidden = intOption(parser, QStringLiteral("hidden"), m.hidden, 8, 1024, &error);
    m.intermediate = intOption(parser, QStringLiteral("intermediate"), m.intermediate, 8, 4096, &error);
    if (parser.isSet(QStringLiteral("attend-weight"))) {
        bool ok = false;
        const double w = parser.value(QStringLiteral("attend-weight")).toDouble(&ok);
        if (!ok || !(w >= 0 && w <= 10)) error = QStringLiteral("--attend-weight must be a number from 0 to 10");
        options.attendWeight = float(w);
    }
    if (error.isEmpty() && m.hidden % m.heads != 0) error = QStringLiteral("--hidden must be a multiple of --heads");
    options.attendLayer = std::min(options.attendLayer, m.layers - 1);
    const int show = intOption(parser, QStringLiteral("print-corpus"), 0, 1, 100000, &error);
    if (!error.isEmpty()) return usageError(error);
    if (show > 0) return printCorpus(train::WinogradCorpus(options.seed), show);
    std::optional<std::vector<train::WinogradSentence>> check;
    if (parser.isSet(QStringLiteral("check"))) {
        auto sentences = train::readProbeSentences(parser.value(QStringLiteral("check")));
        if (!sentences) return fail(sentences.error());
        check = *sentences;
    }
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
    if (Status s = trainer.exportFolder(out, &*eval); !s) return fail(s.error());

    QJsonObject summary{{"out", QDir(out).absolutePath()},
                        {"steps", trainer.stepsDone()},
                        {"seconds", double(timer.nsecsElapsed()) / 1e9},
                        {"held_out_sentences", eval->sentences},
                        {"referent_accuracy", eval->referentAccuracy},
                        {"coreference_head", QJsonArray{eval->bestLayer, eval->bestHead}},
                        {"coreference_head_accuracy", eval->bestHeadAccuracy},
                        {"coreference_threshold", double(train::calibratedThreshold(*eval))}};
    if (check) {  // the same head on the given sentences, and the best head there
        auto checked = train::evaluateTeachingModel(*snapshot, *check);
        if (!checked) return fail(checked.error());
        summary.insert(QStringLiteral("check"),
                       QJsonObject{{"sentences", checked->sentences},
                                   {"unknown_tokens", checked->unknownTokens},
                                   {"referent_accuracy", checked->referentAccuracy},
                                   {"coreference_head_accuracy",
                                    checked->headAccuracy[size_t(eval->bestLayer * snapshot->config().heads + eval->bestHead)]},
                                   {"best_head", QJsonArray{checked->bestLayer, checked->bestHead}},
                                   {"best_head_accuracy", checked->bestHeadAccuracy}});
    }
    return printJsonLine(summary);
}

}  // namespace attnscope::cli
