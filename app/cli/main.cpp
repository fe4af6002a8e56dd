// attnscope-cli: the headless side of AttnScope (tokenize, attention, predict, bench).
#include "cli_common.h"
#include "commands.h"

#include "kernels/kernels.h"

#include <QCoreApplication>
#ifdef ATTNSCOPE_HAVE_UI
#include <QGuiApplication>
#endif

#include <memory>
#include <QStringDecoder>

#include <cstdio>
#include <exception>
#include <new>
#include <cstring>

namespace {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const QStringList&);
};

const Command kCommands[] = {
    {"tokenize", "Split text into the model's tokens (ids, strings, character offsets) as JSON.",
     attnscope::cli::runTokenize},
    {"attention", "Run the model and write every layer's and head's attention (JSON or .npy).",
     attnscope::cli::runAttention},
    {"predict", "Top-k tokens for each [MASK] (encoders) or for the next token (GPT-2), as JSON.",
     attnscope::cli::runPredict},
    {"bench", "Time the forward pass; prints one JSON line with milliseconds and GFLOPS.",
     attnscope::cli::runBench},
    {"download", "Download a model by Hugging Face id into the cache shared with Python (progress on stderr).",
     attnscope::cli::runDownload},
    {"synthesize", "Write a model folder of random weights with a real architecture's shapes (bert-base ... llama-1b).",
     attnscope::cli::runSynthesize},
    {"heads", "Statistics of every head (entropy, distance, special/self/previous/next weight), for one input or a corpus.",
     attnscope::cli::runHeads},
    {"lens", "Logit lens: the top tokens each layer's hidden state predicts, through the final norm and LM head.",
     attnscope::cli::runLens},
    {"train-teaching", "Train the built-in teaching model (pronoun resolution) into a model folder.",
     attnscope::cli::runTrainTeaching},
#ifdef ATTNSCOPE_HAVE_UI
    {"rollout", "Attention rollout of a ViT for an image, as a map (.npy) or over the image (.png).",
     attnscope::cli::runRollout},
    {"compare", "One head's attention for two texts and their difference (JSON, PNG, SVG or PDF).",
     attnscope::cli::runCompare},
    {"render", "Draw a view (links, heatmap, grid) into a PNG, SVG or PDF file, without a display.",
     attnscope::cli::runRender},
    {"train-vision-teaching", "Train the built-in image teaching model (colour of the odd shape) into a model folder.",
     attnscope::cli::runTrainVisionTeaching},
#endif
};

void printUsage(FILE* to) {
    std::fputs("Usage: attnscope-cli <command> [options]\n\nCommands:\n", to);
    for (const Command& c : kCommands) std::fprintf(to, "  %-22s %s\n", c.name, c.summary);
    std::fputs("\nRun 'attnscope-cli <command> --help' for a command's options.\n"
               "Exit status: 0 success, 2 bad usage or input, 1 internal error.\n",
               to);
}

// Qt's own debug and warning chatter (e.g. about XDG_RUNTIME_DIR) would break the contract of one
// line on stderr per error; ATTNSCOPE_DEBUG=1 keeps it.
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtDebugMsg || type == QtInfoMsg || type == QtWarningMsg) return;
    std::fprintf(stderr, "attnscope-cli: Qt: %s\n", message.toUtf8().constData());
}

}  // namespace

int main(int argc, char** argv) {
    attnscope::core::kernels::keepFreedMemoryMapped();
    if (qEnvironmentVariableIntValue("ATTNSCOPE_DEBUG") == 0) qInstallMessageHandler(quietQtMessages);
    // Arguments must be UTF-8; Qt would silently replace bad bytes. A leading U+FEFF is text (the
    // tokenizers see it), not a byte-order mark to drop.
    QStringList args;
    for (int i = 0; i < argc; ++i) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        const QString decoded = utf8.decode(QByteArrayView(argv[i], qsizetype(std::strlen(argv[i]))));
        if (utf8.hasError()) {
            std::fprintf(stderr, "attnscope-cli: argument %d is not valid UTF-8\n", i);
            return attnscope::cli::kExitBadInput;
        }
        args << decoded;
    }
    // Qt's application objects parse (and act on) their own options in argv, such as -platform:
    // they get the program name only; the commands parse the real arguments themselves.
    int qtArgc = 1;
    char* qtArgv[] = {argv[0], nullptr};
#ifdef ATTNSCOPE_HAVE_UI
    // Rendering needs fonts and painting (QGuiApplication) but never a display.
    const bool render = argc > 1 && (std::strcmp(argv[1], "render") == 0 || std::strcmp(argv[1], "compare") == 0);
    if (render) qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app(render ? new QGuiApplication(qtArgc, qtArgv) : new QCoreApplication(qtArgc, qtArgv));
#else
    auto app = std::make_unique<QCoreApplication>(qtArgc, qtArgv);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("attnscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));

    if (args.size() < 2)
        return attnscope::cli::usageError(QStringLiteral("no command given (tokenize, attention, predict, bench, download, synthesize, heads, lens, compare, render, rollout, "
                                                         "train-teaching, train-vision-teaching; see --help)"));
    const QString command = args[1];
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        printUsage(stdout);
        return attnscope::cli::finishStdout(attnscope::cli::kExitOk);
    }
    if (command == QLatin1String("--version")) {
        std::printf("attnscope-cli %s\n", ATTNSCOPE_VERSION);
        return attnscope::cli::finishStdout(attnscope::cli::kExitOk);
    }
    for (const Command& c : kCommands) {
        if (command == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("attnscope-cli ") + command);
            try {
                return attnscope::cli::finishStdout(c.run(rest));
            } catch (const std::bad_alloc&) {  // the memory budget should have refused first
                return attnscope::cli::fail(attnscope::core::internalError(QStringLiteral("out of memory")));
            } catch (const std::exception& e) {
                return attnscope::cli::fail(attnscope::core::internalError(QStringLiteral("unexpected error: %1").arg(QString::fromLocal8Bit(e.what()))));
            }
        }
    }
    return attnscope::cli::usageError(QStringLiteral("unknown command '%1' (tokenize, attention, predict, bench, download, synthesize, heads, lens, compare, render, rollout, train-teaching, train-vision-teaching; see --help)").arg(command));
}
