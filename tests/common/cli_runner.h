#pragma once

// Runs attnscope-cli in a child process for the CLI tests.
#include "test_paths.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>

#include <csignal>
#include <sys/resource.h>

namespace attnscope::test {

struct CliRun {
    int status = -1;  // exit status; -1 crashed, -2 timed out
    QByteArray out, err;
    qint64 ms = 0;
};

// Every file the child writes fails past fileSizeLimit bytes (as a full disk does: EFBIG instead
// of ENOSPC, SIGXFSZ ignored).
inline void limitChildFileSize(QProcess& p, qint64 fileSizeLimit) {
    p.setChildProcessModifier([fileSizeLimit] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{rlim_t(fileSizeLimit), rlim_t(fileSizeLimit)};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
}

// fileSizeLimit > 0: limitChildFileSize; stdoutPath replaces its standard output.
inline CliRun runCli(const QStringList& args, qint64 fileSizeLimit = 0, const QString& stdoutPath = QString(), int timeoutMs = 120000) {
    QProcess p;
    if (fileSizeLimit > 0) limitChildFileSize(p, fileSizeLimit);
    if (!stdoutPath.isEmpty()) p.setStandardOutputFile(stdoutPath);
    QElapsedTimer timer;
    timer.start();
    p.start(cliPath(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, "timed out", timer.elapsed()};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError(),
            timer.elapsed()};
}

}  // namespace attnscope::test
