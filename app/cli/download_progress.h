#pragma once

#include "hub/hub_download.h"

#include <QString>

namespace attnscope::cli {

// Download progress on stderr: a bar with size, speed and ETA redrawn in place on a terminal; a
// plain line per file (and per ~10%) otherwise, so logs stay readable.
class DownloadProgressPrinter {
public:
    DownloadProgressPrinter();
    void planned(const core::HubPlan& plan);
    void update(const core::DownloadProgress& p);
    void finish(const QString& folder);

private:
    bool m_tty;
    QString m_file;
    int m_lastTenth = -1;
    qint64 m_lastDrawMs = -1;
};

}  // namespace attnscope::cli
