#include "widgets/download_status.h"

#include "hub/hub_download.h"
#include "session/analysis_session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>


namespace attnscope::ui {

DownloadStatus::DownloadStatus(AnalysisSession* session, QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel;
    m_bar = new QProgressBar;
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(180);
    m_cancel = new QPushButton(tr("Cancel"));
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, session, &AnalysisSession::cancelDownload);
    connect(session, &AnalysisSession::modelDownloading, this, &DownloadStatus::show);
    for (auto signal : {&AnalysisSession::modelChanged}) connect(session, signal, this, &QWidget::hide);
    connect(session, &AnalysisSession::modelFailed, this, &QWidget::hide);
    hide();
}

QString DownloadStatus::text() const { return m_label->text(); }

void DownloadStatus::show(const QString& id, qint64 done, qint64 total, double bytesPerSecond, double secondsLeft) {
    m_label->setText(tr("Downloading %1: %2 / %3 · %4/s · %5 left")
                         .arg(id, core::formatDownloadBytes(double(done)), core::formatDownloadBytes(double(total)), core::formatDownloadBytes(bytesPerSecond),
                              core::formatDuration(secondsLeft)));
    m_bar->setValue(total > 0 ? int(1000.0 * double(done) / double(total)) : 0);
    QWidget::show();
}

}  // namespace attnscope::ui
