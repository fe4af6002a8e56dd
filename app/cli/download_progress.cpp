#include "download_progress.h"

#include <QDateTime>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace attnscope::cli {

QString humanBytes(double bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1000 && u < 4) {
        bytes /= 1000;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', u == 0 ? 0 : 1).arg(QLatin1String(units[u]));
}

namespace {

QString clock(double seconds) {
    if (seconds < 0) return QStringLiteral("--:--");
    const qint64 s = qint64(std::llround(seconds));
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

DownloadProgressPrinter::DownloadProgressPrinter() : m_tty(isatty(STDERR_FILENO) == 1) {}

void DownloadProgressPrinter::planned(const core::HubPlan& plan) {
    std::fprintf(stderr, "attnscope-cli: %s at %s: %d files, %s to download (%s in all)\n", plan.ref.display().toUtf8().constData(),
                 plan.commit.left(10).toUtf8().constData(), int(plan.files.size()), humanBytes(double(plan.bytesToFetch())).toUtf8().constData(),
                 humanBytes(double(plan.bytesTotal())).toUtf8().constData());
}

void DownloadProgressPrinter::update(const core::DownloadProgress& p) {
    const double fraction = p.total > 0 ? double(p.done) / double(p.total) : 1.0;
    const QString speed = p.bytesPerSecond > 0 ? humanBytes(p.bytesPerSecond) + QStringLiteral("/s") : QStringLiteral("--");
    if (m_tty) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastDrawMs < 100 && p.done < p.total) return;
        m_lastDrawMs = now;
        const int width = 30, filled = int(fraction * width);
        const QString bar = QString(filled, QLatin1Char('=')) + (filled < width ? QStringLiteral(">") : QString()) +
                            QString(std::max(0, width - filled - 1), QLatin1Char(' '));
        std::fprintf(stderr, "\r[%s] %3d%%  %s / %s  %s  ETA %s  %s\x1b[K", bar.toUtf8().constData(), int(fraction * 100),
                     humanBytes(double(p.done)).toUtf8().constData(), humanBytes(double(p.total)).toUtf8().constData(),
                     speed.toUtf8().constData(), clock(p.secondsLeft).toUtf8().constData(), p.file.toUtf8().constData());
        return;
    }
    const int tenth = int(fraction * 10);
    if (p.file == m_file && tenth == m_lastTenth) return;
    m_file = p.file;
    m_lastTenth = tenth;
    std::fprintf(stderr, "attnscope-cli: %3d%%  %s / %s  %s  %s\n", int(fraction * 100), humanBytes(double(p.done)).toUtf8().constData(),
                 humanBytes(double(p.total)).toUtf8().constData(), speed.toUtf8().constData(), p.file.toUtf8().constData());
}

void DownloadProgressPrinter::finish(const QString& folder) {
    if (m_tty && m_lastDrawMs >= 0) std::fputs("\n", stderr);
    std::fprintf(stderr, "attnscope-cli: complete: %s\n", folder.toUtf8().constData());
}

}  // namespace attnscope::cli
