#include "cli_common.h"
#include "commands.h"

#include "analysis/head_stats.h"
#include "io/json_writer.h"
#include "model/text_analysis.h"
#include "util/input_file.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace attnscope::cli {
namespace {

constexpr qint64 kMaxCorpusLine = 1 << 20;     // characters of one corpus text
constexpr qint64 kMaxPartialBytes = 256 << 20;  // a partial sums file

QJsonObject statsJson(const core::HeadStats& s) {
    QJsonObject o{{"layer", s.layer}, {"head", s.head}};
    for (const QString& key : core::headStatKeys())
        if (const auto v = s.value(key)) o.insert(key, *v);
    return o;
}

// "layer head entropy ..." with aligned columns, for reading in a terminal.
QByteArray statsTable(const std::vector<core::HeadStats>& stats) {
    QString out;
    QTextStream t(&out);
    const bool fromTo = !stats.empty() && stats.front().fromTo.has_value();
    QStringList keys = core::headStatKeys();
    if (!fromTo) keys.removeLast();
    t << QStringLiteral("%1 %2").arg(QStringLiteral("layer"), 5).arg(QStringLiteral("head"), 5);
    for (const QString& k : keys) t << QStringLiteral(" %1").arg(k, 13);
    t << '\n';
    for (const core::HeadStats& s : stats) {
        t << QStringLiteral("%1 %2").arg(s.layer, 5).arg(s.head, 5);
        for (const QString& k : keys) t << QStringLiteral(" %1").arg(s.value(k).value_or(0), 13, 'f', 4);
        t << '\n';
    }
    t.flush();
    return out.toUtf8();
}

int writeResult(const QString& path, const QByteArray& bytes) {
    Output out;
    if (core::Status s = out.open(path); !s) return fail(s.error());
    core::Status written;
    if (out.device()->write(bytes) != bytes.size()) written = core::internalError(QStringLiteral("cannot write the statistics"));
    if (core::Status s = out.commit(written); !s) return fail(s.error());
    return kExitOk;
}

int emit(const QCommandLineParser& parser, std::vector<core::HeadStats> stats, QJsonObject head, bool table) {
    if (parser.isSet(QStringLiteral("sort")))
        if (core::Status s = core::sortHeadStats(stats, parser.value(QStringLiteral("sort"))); !s) return fail(s.error());
    if (table) return writeResult(parser.value(QStringLiteral("out")), statsTable(stats));
    QJsonArray rows;
    for (const core::HeadStats& s : stats) rows.append(statsJson(s));
    head.insert(QStringLiteral("heads"), rows);
    return writeResult(parser.value(QStringLiteral("out")), QJsonDocument(head).toJson(QJsonDocument::Compact) + '\n');
}

// --merge A B ...: the partial sums added up.
int runMerge(const QCommandLineParser& parser, bool table) {
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) return usageError(QStringLiteral("--merge needs the partial files (heads --merge A.json B.json ...)"));
    core::HeadStatsSums total;
    for (int i = 0; i < files.size(); ++i) {
        auto bytes = core::readInputFile(files[i], kMaxPartialBytes);
        if (!bytes) return fail(bytes.error());
        auto part = core::HeadStatsSums::fromJson(*bytes, files[i]);
        if (!part) return fail(part.error());
        if (i == 0) total = *part;
        else if (core::Status s = total.merge(*part); !s) return fail(s.error());
    }
    if (parser.isSet(QStringLiteral("partial"))) return writeResult(parser.value(QStringLiteral("partial")), total.toJson());
    return emit(parser, total.mean(), QJsonObject{{"model_type", total.modelType}, {"texts", total.texts}}, table);
}

// --corpus FILE: one text per line, streamed; the statistics averaged over the texts.
int runCorpus(const QCommandLineParser& parser, const core::LoadedModel& model, bool table) {
    const QString path = parser.value(QStringLiteral("corpus"));
    QFile file(path);
    if (!QFileInfo(path).isFile()) return fail(core::inputError(QStringLiteral("%1: no such file").arg(path)));
    if (!file.open(QIODevice::ReadOnly)) return fail(core::internalError(QStringLiteral("%1: %2").arg(path, file.errorString())));
    core::HeadStatsSums sums;
    sums.modelType = model.config().modelType;
    sums.layers = model.config().layers;
    sums.heads = model.config().heads;
    QElapsedTimer clock;
    clock.start();
    qint64 lineNo = 0, lastReport = 0;
    core::AnalysisOptions options;
    options.truncate = true;  // a corpus line longer than the model: its first tokens
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine(kMaxCorpusLine + 2);
        ++lineNo;
        if (raw.size() > kMaxCorpusLine && !raw.endsWith('\n'))
            return fail(core::inputError(QStringLiteral("%1:%2: a line longer than %3 characters").arg(path).arg(lineNo).arg(kMaxCorpusLine)));
        const QString text = QString::fromUtf8(raw).trimmed();
        if (text.isEmpty()) continue;
        auto analysis = core::analyzeText(model, text, options);
        if (!analysis) return fail(core::Error{QStringLiteral("%1:%2: %3").arg(path).arg(lineNo).arg(analysis.message()), false});
        sums.add(core::headStatistics(*analysis->trace, analysis->encoding.special));
        if (clock.elapsed() - lastReport >= 1000) {  // the progress line, rewritten in place
            lastReport = clock.elapsed();
            std::fprintf(stderr, "\rheads: %lld texts, %.1f s", static_cast<long long>(sums.texts), double(lastReport) / 1000.0);
            std::fflush(stderr);
        }
    }
    if (file.error() != QFileDevice::NoError) return fail(core::internalError(QStringLiteral("%1: %2").arg(path, file.errorString())));
    std::fprintf(stderr, "\rheads: %lld texts, %.1f s\n", static_cast<long long>(sums.texts), double(clock.elapsed()) / 1000.0);
    if (sums.texts == 0) return fail(core::inputError(QStringLiteral("%1: no text (one text per line)").arg(path)));
    if (parser.isSet(QStringLiteral("partial"))) return writeResult(parser.value(QStringLiteral("partial")), sums.toJson());
    return emit(parser, sums.mean(), QJsonObject{{"model_type", sums.modelType}, {"texts", sums.texts}}, table);
}

}  // namespace

int runHeads(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Model folder or Hugging Face id (default: the built-in teaching model)."), QStringLiteral("M")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("An image (vision models)."), QStringLiteral("FILE")});
    parser.addOption(traceFileOption());
    parser.addOption({QStringLiteral("from"), QStringLiteral("With --to: rank the heads by the weight query token I gives key token J (0-based)."), QStringLiteral("I")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("The key token J for --from."), QStringLiteral("J")});
    parser.addOption({QStringLiteral("sort"), QStringLiteral("Sort by a statistic, descending (entropy) or ascending (-entropy)."), QStringLiteral("KEY")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json (default) or table."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("corpus"), QStringLiteral("A text file, one text per line: the statistics averaged over them (streamed)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("partial"), QStringLiteral("With --corpus or --merge: write the partial sums here, to merge later."),
                      QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("merge"), QStringLiteral("Add up partial sums files (the positional arguments) into the corpus statistics.")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Write here instead of standard output."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args,
                                  QStringLiteral("Statistics of every head: entropy, mean distance, weight on special tokens, on itself, "
                                                 "the previous and the next token, the largest weight (and with --from/--to one pair's "
                                                 "weight), for one input or averaged over a corpus."),
                                  true);
        status >= 0)
        return status;
    const QString format = parser.value(QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("table"))
        return usageError(QStringLiteral("--format must be json or table, not '%1'").arg(format));
    const bool table = format == QLatin1String("table");
    if (parser.isSet(QStringLiteral("sort"))) {
        QString key = parser.value(QStringLiteral("sort"));
        if (key.startsWith(QLatin1Char('-'))) key.remove(0, 1);
        if (!core::headStatKeys().contains(key))
            return usageError(QStringLiteral("--sort must be one of %1 (prefix - for ascending), not '%2'")
                                  .arg(core::headStatKeys().join(QStringLiteral(", ")), parser.value(QStringLiteral("sort"))));
    }
    if (parser.isSet(QStringLiteral("merge"))) {
        if (parser.isSet(QStringLiteral("text")) || parser.isSet(QStringLiteral("image")) || parser.isSet(QStringLiteral("corpus")) ||
            parser.isSet(QStringLiteral("trace")))
            return usageError(QStringLiteral("--merge takes partial files only, not --text, --image, --trace or --corpus"));
        return runMerge(parser, table);
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1' (partial files go with --merge)").arg(parser.positionalArguments().front()));
    const int inputs = int(parser.isSet(QStringLiteral("text"))) + int(parser.isSet(QStringLiteral("image"))) + int(parser.isSet(QStringLiteral("corpus"))) +
                       int(parser.isSet(QStringLiteral("trace")));
    if (inputs != 1) return usageError(QStringLiteral("give one of --text, --image, --trace or --corpus"));
    if (parser.isSet(QStringLiteral("from")) != parser.isSet(QStringLiteral("to"))) return usageError(QStringLiteral("--from and --to go together"));
    if (parser.isSet(QStringLiteral("from")) && parser.isSet(QStringLiteral("corpus")))
        return usageError(QStringLiteral("--from/--to name tokens of one input; they do not apply to a --corpus"));
    if (parser.isSet(QStringLiteral("partial")) && !parser.isSet(QStringLiteral("corpus")))
        return usageError(QStringLiteral("--partial goes with --corpus or --merge"));

    if (parser.isSet(QStringLiteral("corpus"))) {
        auto model = loadModelOption(parser);
        if (!model) return fail(model.error());
        if (model->config().isVision()) return usageError(QStringLiteral("--corpus is for text models; %1 is an image model").arg(model->config().name));
        return runCorpus(parser, *model, table);
    }
    const auto input = commandInput(parser);
    if (!input) return fail(input.error());
    const core::TextAnalysis* analysis = &input->analysis;
    const int n = analysis->trace->tokens();
    QString error;
    const int from = intOption(parser, QStringLiteral("from"), -1, 0, n - 1, &error);
    const int to = intOption(parser, QStringLiteral("to"), -1, 0, n - 1, &error);
    if (!error.isEmpty()) return usageError(error);
    std::vector<core::HeadStats> stats = core::headStatistics(*analysis->trace, analysis->encoding.special, from, to);
    if (from >= 0 && !parser.isSet(QStringLiteral("sort")))  // "which heads make I attend to J": the strongest first
        std::stable_sort(stats.begin(), stats.end(), [](const core::HeadStats& a, const core::HeadStats& b) { return *a.fromTo > *b.fromTo; });
    QJsonArray tokens;
    for (const QString& t : analysis->encoding.tokens) tokens.append(t);
    for (core::HeadStats& s : stats) s.layer = analysis->trace->layerNumber(s.layer);  // a trace of some layers: the model's numbers
    QJsonObject head{{"model_type", input->modelType}, {"tokens", tokens}};
    if (input->trace) head.insert(QStringLiteral("model"), input->trace->info.model);
    return emit(parser, std::move(stats), head, table);
}

}  // namespace attnscope::cli
