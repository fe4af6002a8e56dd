#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace attnscope::ui {

class AnalysisSession;

// In the status bar while a Hub model downloads: "Qwen/Qwen3-0.6B 120.3 MB / 1.5 GB · 12.4 MB/s ·
// 1:52 left", a progress bar and Cancel. Hidden otherwise.
class DownloadStatus : public QWidget {
    Q_OBJECT

public:
    explicit DownloadStatus(AnalysisSession* session, QWidget* parent = nullptr);

    QString text() const;
    void show(const QString& id, qint64 done, qint64 total, double bytesPerSecond, double secondsLeft);

private:
    QLabel* m_label;
    QProgressBar* m_bar;
    QPushButton* m_cancel;
};

}  // namespace attnscope::ui
