#include "download_progress.h"

#include <QDateTime>

#include <cstdio>
#include <unistd.h>

namespace attnscope::cli {

DownloadProgressPrinter::DownloadProgressPrinter() : m_tty(isatty(STDERR_FILENO) == 1) {}

void DownloadProgressPrinter::planned(const core::HubPlan& plan) {
    std::fprintf(stderr, "attnscope-cli: %s at %s: %d files, %s to download (%s in all)\n", plan.ref.display().toUtf8().constData(),
                 plan.commit.left(10).toUtf8().constData(), int(plan.files.size()), core::formatDownloadBytes(double(plan.bytesToFetch())).toUtf8().constData(),
                 core::formatDownloadBytes(double(plan.bytesTotal())).toUtf8().constData());
}

void DownloadProgressPrinter::update(const core::DownloadProgress& p) {
    const double fraction = p.total > 0 ? double(p.done) / double(p.total) : 1.0;
    const QString speed = p.bytesPerSecond > 0 ? core::formatDownloadBytes(p.bytesPerSecond) + QStringLiteral("/s") : QStringLiteral("--");
    if (m_tty) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastDrawMs < 100 && p.done < p.total) return;
        m_lastDrawMs = now;
        const int width = 30, filled = int(fraction * width);
        const QString bar = QString(filled, QLatin1Char('=')) + (filled < width ? QStringLiteral(">") : QString()) +
                            QString(std::max(0, width - filled - 1), QLatin1Char(' '));
        std::fprintf(stderr, "\r[%s] %3d%%  %s / %s  %s  ETA %s  %s\x1b[K", bar.toUtf8().constData(), int(fraction * 100),
                     core::formatDownloadBytes(double(p.done)).toUtf8().constData(), core::formatDownloadBytes(double(p.total)).toUtf8().constData(),
                     speed.toUtf8().constData(), core::formatDuration(p.secondsLeft).toUtf8().constData(), p.file.toUtf8().constData());
        return;
    }
    const int tenth = int(fraction * 10);
    if (p.file == m_file && tenth == m_lastTenth) return;
    m_file = p.file;
    m_lastTenth = tenth;
    std::fprintf(stderr, "attnscope-cli: %3d%%  %s / %s  %s  %s\n", int(fraction * 100), core::formatDownloadBytes(double(p.done)).toUtf8().constData(),
                 core::formatDownloadBytes(double(p.total)).toUtf8().constData(), speed.toUtf8().constData(), p.file.toUtf8().constData());
}

void DownloadProgressPrinter::finish(const QString& folder) {
    if (m_tty && m_lastDrawMs >= 0) std::fputs("\n", stderr);
    std::fprintf(stderr, "attnscope-cli: complete: %s\n", folder.toUtf8().constData());
}

}  // namespace attnscope::cli
