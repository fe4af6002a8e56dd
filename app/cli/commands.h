#pragma once

#include <QStringList>

// attnscope-cli subcommands. Each takes its arguments (args[0] = "attnscope-cli <name>") and
// returns the exit status: 0 success, 2 bad usage or input, 1 internal error.
namespace attnscope::cli {

int runTokenize(const QStringList& args);
int runAttention(const QStringList& args);
int runPredict(const QStringList& args);
int runBench(const QStringList& args);
int runSynthesize(const QStringList& args);
int runDownload(const QStringList& args);
int runRender(const QStringList& args);  // needs the ui library
int runTrainTeaching(const QStringList& args);
int runHeads(const QStringList& args);
int runRollout(const QStringList& args);  // needs the ui library (image decoding)
int runTrainVisionTeaching(const QStringList& args);  // needs Qt Gui (example PNGs)
int runLens(const QStringList& args);
int runCompare(const QStringList& args);  // needs the ui library (figures)

}  // namespace attnscope::cli
