#pragma once

#include "hub/hub_environment.h"
#include "model/model_loader.h"
#include "model/text_analysis.h"
#include "trace/trace_file.h"
#include "util/result.h"
#ifdef ATTNSCOPE_HAVE_UI
#include "session/image_input.h"
#endif

#include <QCommandLineParser>
#include <QIODevice>
#include <QJsonObject>
#include "io/atomic_file.h"
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace attnscope::cli {

enum ExitCode { kExitOk = 0, kExitInternal = 1, kExitBadInput = 2 };

// One line on stderr ("attnscope-cli: <what>") and the exit status for the error.
int fail(const core::Error& error);
int usageError(const QString& message);

// Parses a subcommand's arguments (args[0] = "attnscope-cli <cmd>"). Returns -1 to go on,
// or an exit status: 0 after printing --help, 2 for unknown options or stray arguments.
// positionals: whether the command takes positional arguments (else any is an error).
int parseCommand(QCommandLineParser& parser, const QStringList& args, const QString& description, bool positionals = false);

// "f32", "bf16" or "f16" (any case) -> the storage type; otherwise false and a message in *error.
bool storageOption(const QString& value, core::DType* dtype, QString* error);
// "0,3,5-7" -> {0, 3, 5, 6, 7}, each in [0, count), no repeats; otherwise {} and a message naming
// the option in *error.
std::vector<int> indexList(const QString& value, int count, const QString& option, QString* error);
// A positive integer option, or the fallback when absent; sets `ok` false with a message.
int intOption(const QCommandLineParser& parser, const QString& name, int fallback, int min, int max, QString* error);

// A folder as it is, or a Hub id (ORG/NAME[@REV]) from the cache, downloaded into it when missing
// with progress on stderr: the model folder.
core::Result<QString> downloadWithProgress(const QString& id, const core::HubEnvironment& env);
// The --model folder or Hub id (from the cache, downloaded when missing), loaded; without --model, the built-in teaching model (the image teaching
// model when the command was given --image).
core::Result<core::LoadedModel> loadModelOption(const QCommandLineParser& parser);
// An image file decoded and preprocessed for a vision model (needs the ui library for decoding).
core::Result<core::ImageTensor> loadImageForModel(const QString& path, const core::LoadedModel& model);

#ifdef ATTNSCOPE_HAVE_UI
// decodeImageFile without the image libraries' own messages on stderr.
core::Result<ui::DecodedImage> decodeImageQuietly(const QString& path);
#endif

// A command's exit status, made 1 with one line on stderr when standard output could not take
// everything it was given (a full disk, /dev/full, a closed descriptor): never a silent success.
int finishStdout(int status);

// Runs `work` with stderr sent to /dev/null (libpng and libjpeg print their own messages there,
// which would break the contract of one line per error), then restores it.
void withQuietStderr(const std::function<void()>& work);

// One JSON object on stdout as a single line (the trainers' summaries). Returns the exit status.
int printJsonLine(const QJsonObject& object);

// The --image (vision models) or --text input analysed with its trace (--truncate keeps the first
// tokens that fit); a vision model given text is an input error.
// `options` are passed on (their truncate is set from --truncate).
core::Result<core::TextAnalysis> analyzeInputOption(const QCommandLineParser& parser, const core::LoadedModel& model,
                                                    core::AnalysisOptions options = {});

// A trace file opened and checked (docs/trace-format.md), with a progress line on stderr while a
// large one is checked.
core::Result<std::shared_ptr<const core::OpenedTrace>> openTraceWithProgress(const QString& path);

// What a command reads attention from: the model run on --text or --image, or --trace FILE (no
// model runs). --trace with --model, --text or --image is an input error.
struct CommandInput {
    core::TextAnalysis analysis;  // a trace's: encoding and trace only
    QString modelType;
    std::shared_ptr<const core::OpenedTrace> trace;  // set for --trace
};
core::Result<CommandInput> commandInput(const QCommandLineParser& parser, core::AnalysisOptions options = {});
// The --trace option, described the same way by every command that takes it.
QCommandLineOption traceFileOption();
// An analysis that combines every layer (rollout) refuses a trace that holds only some of them.
core::Status needsEveryLayer(const core::AttentionTrace& trace, const QString& what);

// --ablate LAYER:HEAD,... checked against the model (none when absent).
core::Result<std::vector<core::HeadRef>> ablateOption(const QCommandLineParser& parser, const core::ModelConfig& config);

// --text, present and not empty.
core::Result<QString> textOption(const QCommandLineParser& parser);

// Where a command writes: a file (through AtomicFile: written to a temporary, renamed on commit, so
// a failure never leaves a partial file) or stdout.
class Output {
public:
    core::Status open(const QString& path);  // empty path: stdout
    QIODevice* device() { return m_device; }
    // Commits when `written` is ok; otherwise leaves no file and returns the better message (the
    // disk's own, when the device failed).
    core::Status commit(const core::Status& written = core::Status());

private:
    std::unique_ptr<core::AtomicFile> m_file;
    std::unique_ptr<QIODevice> m_stdout;
    QIODevice* m_device = nullptr;
    QString m_path;
};

}  // namespace attnscope::cli
