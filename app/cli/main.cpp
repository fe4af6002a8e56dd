// attnscope-cli: the headless side of AttnScope (tokenize, attention, predict, bench).
#include "cli_common.h"
#include "commands.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstdio>
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
};

void printUsage(FILE* to) {
    std::fputs("Usage: attnscope-cli <command> [options]\n\nCommands:\n", to);
    for (const Command& c : kCommands) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
    std::fputs("\nRun 'attnscope-cli <command> --help' for a command's options.\n"
               "Exit status: 0 success, 2 bad usage or input, 1 internal error.\n",
               to);
}

}  // namespace

int main(int argc, char** argv) {
    // Arguments must be UTF-8; Qt would silently replace bad bytes.
    for (int i = 1; i < argc; ++i) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);  // a cut sequence is an error too
        const QString decoded = utf8.decode(QByteArrayView(argv[i], qsizetype(std::strlen(argv[i]))));
        if (utf8.hasError()) {
            std::fprintf(stderr, "attnscope-cli: argument %d is not valid UTF-8\n", i);
            return attnscope::cli::kExitBadInput;
        }
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("attnscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));
    QStringList args;
    for (int i = 0; i < argc; ++i) args << QString::fromUtf8(argv[i]);

    if (args.size() < 2) {
        printUsage(stderr);
        return attnscope::cli::kExitBadInput;
    }
    const QString command = args[1];
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        printUsage(stdout);
        return attnscope::cli::kExitOk;
    }
    if (command == QLatin1String("--version")) {
        std::printf("attnscope-cli %s\n", ATTNSCOPE_VERSION);
        return attnscope::cli::kExitOk;
    }
    for (const Command& c : kCommands) {
        if (command == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("attnscope-cli ") + command);
            return c.run(rest);
        }
    }
    return attnscope::cli::usageError(QStringLiteral("unknown command '%1' (tokenize, attention, predict, bench; see --help)").arg(command));
}
