#pragma once

#include <QObject>

class QLabel;
class QStatusBar;

namespace attnscope::ui {

class AnalysisSession;
class DownloadStatus;

// The status bar's report of the session: what is open (a model with its summary, or a trace
// file with what it holds and, in the tooltip, what it lacks), loading and checking progress, a
// download, "analysing…" while a run is in flight, and the last run's tokens and time.
class SessionStatus : public QObject {
    Q_OBJECT

public:
    SessionStatus(QStatusBar* bar, AnalysisSession* session);
    QString modelText() const;

private:
    void showModel();
    void showTrace();

    QStatusBar* m_bar;
    AnalysisSession* m_session;
    QLabel* m_model;
    QLabel* m_timing;
    QLabel* m_busy;
    DownloadStatus* m_download;
};

}  // namespace attnscope::ui
