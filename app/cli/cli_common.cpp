#include "cli_common.h"
#include "download_progress.h"

#include "hub/model_source.h"

#include "model/builtin_models.h"
#include "model/image_preprocessor.h"
#include "util/memory_budget.h"
#ifdef ATTNSCOPE_HAVE_UI
#include "session/image_input.h"
#endif

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace attnscope::cli {

int fail(const core::Error& error) {
    QString line = error.message.simplified();
    std::fprintf(stderr, "attnscope-cli: %s\n", line.toUtf8().constData());
    return error.internal ? kExitInternal : kExitBadInput;
}

int usageError(const QString& message) { return fail(core::inputError(message)); }

int parseCommand(QCommandLineParser& parser, const QStringList& args, const QString& description, bool positionals) {
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    const QCommandLineOption memory(QStringLiteral("memory-limit"),
                                    QStringLiteral("Most memory one input may take, e.g. 8G (default: ATTNSCOPE_MEMORY_LIMIT, else the "
                                                   "memory available now)."),
                                    QStringLiteral("SIZE"));
    parser.addOption(memory);
    if (!parser.parse(args)) return usageError(parser.errorText() + QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        std::fputs(parser.helpText().toUtf8().constData(), stdout);
        return kExitOk;
    }
    if (parser.isSet(memory)) {
        const auto bytes = core::parseByteSize(parser.value(memory));
        if (!bytes) return usageError(QStringLiteral("--memory-limit must be a size such as 512M or 8G, not '%1'").arg(parser.value(memory)));
        core::setMemoryBudget(*bytes);
    }
    if (!positionals && !parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()));
    return -1;
}

int intOption(const QCommandLineParser& parser, const QString& name, int fallback, int min, int max, QString* error) {
    if (!parser.isSet(name)) return fallback;
    bool ok = false;
    const int v = parser.value(name).toInt(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1 must be an integer from %2 to %3, not '%4'").arg(name).arg(min).arg(max).arg(parser.value(name));
        return fallback;
    }
    return v;
}

core::Result<core::LoadedModel> loadModelOption(const QCommandLineParser& parser) {
    if (!parser.isSet(QStringLiteral("model"))) {
        if (parser.optionNames().contains(QStringLiteral("image"))) {  // an image and no model: the image teaching model
            auto loaded = core::loadModelFolder(core::builtinImageModelPath());
            if (!loaded) return core::internalError(QStringLiteral("the built-in image teaching model does not load: ") + loaded.message());
            return loaded;
        }
        return core::loadBuiltinTeachingModel();
    }
    auto folder = downloadWithProgress(parser.value(QStringLiteral("model")), core::HubEnvironment::fromSystem());
    if (!folder) return folder.error();
    return core::loadModelFolder(*folder);
}

core::Result<QString> downloadWithProgress(const QString& argument, const core::HubEnvironment& env) {
    core::ModelSourceOptions options;
    DownloadProgressPrinter printer;
    bool downloaded = false;
    options.planned = [&](const core::HubPlan& plan) {
        downloaded = true;
        printer.planned(plan);
    };
    options.progress = [&](const core::DownloadProgress& p) { printer.update(p); };
    auto source = core::resolveModelSource(argument, env, options);
    if (!source) return source.error();
    if (downloaded) printer.finish(source->folder);
    return source->folder;
}

#ifdef ATTNSCOPE_HAVE_UI
core::Result<ui::DecodedImage> decodeImageQuietly(const QString& path) {
    core::Result<ui::DecodedImage> decoded = core::inputError(QString());
    withQuietStderr([&] { decoded = ui::decodeImageFile(path); });
    return decoded;
}
#endif

void withQuietStderr(const std::function<void()>& work) {
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO), devNull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && devNull >= 0) dup2(devNull, STDERR_FILENO);
    work();
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    if (devNull >= 0) close(devNull);
}

core::Result<core::TextAnalysis> analyzeInputOption(const QCommandLineParser& parser, const core::LoadedModel& model,
                                                    core::AnalysisOptions options) {
    options.truncate = parser.isSet(QStringLiteral("truncate"));
    if (parser.isSet(QStringLiteral("image"))) {
        auto pixels = loadImageForModel(parser.value(QStringLiteral("image")), model);
        if (!pixels) return pixels.error();
        return core::analyzeImage(model, *pixels, options);
    }
    if (model.config().isVision()) return core::inputError(QStringLiteral("%1 is an image model: give it --image FILE").arg(model.config().name));
    auto text = textOption(parser);
    if (!text) return text.error();
    return core::analyzeText(model, *text, options);
}

core::Result<std::shared_ptr<const core::OpenedTrace>> openTraceWithProgress(const QString& path) {
    QElapsedTimer clock;
    clock.start();
    bool reported = false;
    auto opened = core::openTraceFile(path, nullptr, [&](int done, int layers) {
        if (clock.elapsed() < 1000 && done < layers) return;
        if (!reported && done == layers) return;  // quick: no progress line at all
        std::fprintf(stderr, "\rchecking the trace: layer %d of %d", done, layers);
        if (done == layers) std::fprintf(stderr, "\n");
        std::fflush(stderr);
        reported = true;
    });
    if (!opened) return opened.error();
    return std::make_shared<const core::OpenedTrace>(std::move(opened).value());
}

QCommandLineOption traceFileOption() {
    return {QStringLiteral("trace"), QStringLiteral("Read the attention from a trace file (.safetensors, or a sharded trace's index .json) "
                                                    "instead of running a model."),
            QStringLiteral("FILE")};
}

core::Result<CommandInput> commandInput(const QCommandLineParser& parser, core::AnalysisOptions options) {
    CommandInput input;
    if (parser.isSet(QStringLiteral("trace"))) {
        for (const char* other : {"model", "text", "image"})
            if (parser.isSet(QLatin1String(other)))
                return core::inputError(QStringLiteral("--trace reads a recorded run: give it without --%1").arg(QLatin1String(other)));
        auto opened = openTraceWithProgress(parser.value(QStringLiteral("trace")));
        if (!opened) return opened.error();
        input.trace = *opened;
        input.analysis.encoding = input.trace->info.encoding();
        input.analysis.trace = input.trace->trace;
        input.analysis.fullTokens = input.analysis.encoding.size();
        input.modelType = input.trace->info.modelType;
        return input;
    }
    auto model = loadModelOption(parser);
    if (!model) return model.error();
    auto analysis = analyzeInputOption(parser, *model, options);
    if (!analysis) return analysis.error();
    input.analysis = std::move(analysis).value();
    input.modelType = model->config().modelType;
    return input;
}

core::Status needsEveryLayer(const core::AttentionTrace& trace, const QString& what) {
    if (trace.layers() == trace.modelLayers()) return {};
    return core::inputError(QStringLiteral("%1 combines every layer; this trace holds %2 of the model's %3").arg(what).arg(trace.layers()).arg(trace.modelLayers()));
}

core::Result<std::vector<core::HeadRef>> ablateOption(const QCommandLineParser& parser, const core::ModelConfig& config) {
    if (!parser.isSet(QStringLiteral("ablate"))) return std::vector<core::HeadRef>{};
    const QString value = parser.value(QStringLiteral("ablate"));
    auto refs = core::parseHeadRefs(value, config.layers, config.heads);
    if (!refs) return core::inputError(QStringLiteral("--ablate: %1").arg(refs.error().message));
    if (refs->empty()) return core::inputError(QStringLiteral("--ablate needs at least one LAYER:HEAD (for example 3:1)"));
    return refs;
}

int finishStdout(int status) {
    const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout);
    if (failed && status == kExitOk) return fail(core::internalError(QStringLiteral("cannot write to standard output")));
    return status;
}

core::Result<core::ImageTensor> loadImageForModel(const QString& path, const core::LoadedModel& model) {
    if (!model.config().isVision())
        return core::inputError(QStringLiteral("%1 is a text model; --image needs a vision model (--model DIR of a ViT)").arg(model.config().name));
    auto prep = core::loadPreprocessorConfig(model.folder, model.config());
    if (!prep) return prep.error();
#ifdef ATTNSCOPE_HAVE_UI
    auto decoded = decodeImageQuietly(path);
    if (!decoded) return decoded.error();
    return core::preprocessImage(decoded->rgb, *prep);
#else
    return core::inputError(QStringLiteral("%1: this build has no image decoding (built without the GUI libraries)").arg(path));
#endif
}

int printJsonLine(const QJsonObject& object) {
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    if (std::fwrite(line.constData(), 1, size_t(line.size()), stdout) != size_t(line.size()) || std::fflush(stdout) != 0)
        return fail(core::internalError(QStringLiteral("cannot write to stdout")));
    return kExitOk;
}

core::Result<QString> textOption(const QCommandLineParser& parser) {
    if (!parser.isSet(QStringLiteral("text"))) return core::inputError(QStringLiteral("--text TEXT is required"));
    const QString text = parser.value(QStringLiteral("text"));
    if (text.isEmpty()) return core::inputError(QStringLiteral("--text is empty"));  // " " is text: GPT-2 reads it as [220]
    return text;
}

core::Status Output::open(const QString& path) {
    m_path = path;
    if (path.isEmpty()) {
        auto out = std::make_unique<QFile>();
        if (!out->open(stdout, QIODevice::WriteOnly))
            return core::internalError(QStringLiteral("cannot write to standard output"));
        m_stdout = std::move(out);
        m_device = m_stdout.get();
        return {};
    }
    m_file = std::make_unique<core::AtomicFile>(path);
    if (core::Status s = m_file->open(); !s) return s;
    m_device = &m_file->device();
    return {};
}

core::Status Output::commit(const core::Status& written) {
    if (m_file) return written ? m_file->commit() : m_file->discard(written);
    if (!written) return written;
    auto* out = static_cast<QFile*>(m_stdout.get());
    if (!out->flush() || out->error() != QFileDevice::NoError || std::fflush(stdout) != 0 || std::ferror(stdout))
        return core::internalError(QStringLiteral("cannot write to standard output"));
    return {};
}

bool storageOption(const QString& value, core::DType* dtype, QString* error) {
    const QString v = value.toLower();
    if (v == QLatin1String("f32")) *dtype = core::DType::F32;
    else if (v == QLatin1String("bf16")) *dtype = core::DType::BF16;
    else if (v == QLatin1String("f16")) *dtype = core::DType::F16;
    else {
        *error = QStringLiteral("--dtype must be f32, bf16 or f16, not '%1'").arg(value);
        return false;
    }
    return true;
}

std::vector<int> indexList(const QString& value, int count, const QString& option, QString* error) {
    std::vector<int> list;
    std::vector<bool> seen(size_t(std::max(count, 0)), false);
    auto bad = [&](const QString& why) {
        *error = QStringLiteral("%1 %2: %3").arg(option, value, why);
        return std::vector<int>();
    };
    const QStringList parts = value.split(QLatin1Char(','));
    for (const QString& raw : parts) {
        const QString part = raw.trimmed();
        const QStringList ends = part.split(QLatin1Char('-'));
        bool ok0 = false, ok1 = true;
        const int first = ends.value(0).trimmed().toInt(&ok0);
        const int last = ends.size() == 2 ? ends.value(1).trimmed().toInt(&ok1) : first;
        if (part.isEmpty() || ends.size() > 2 || !ok0 || !ok1)
            return bad(QStringLiteral("'%1' is not a number or a range such as 2-5").arg(part));
        if (first > last) return bad(QStringLiteral("the range %1 runs backwards").arg(part));
        if (first < 0 || last >= count)
            return bad(QStringLiteral("%1 is out of range (the model has %2, numbered 0 to %3)").arg(part).arg(count).arg(count - 1));
        for (int i = first; i <= last; ++i) {
            if (seen[size_t(i)]) return bad(QStringLiteral("%1 is listed twice").arg(i));
            seen[size_t(i)] = true;
            list.push_back(i);
        }
    }
    return list;
}

}  // namespace attnscope::cli
