#include "widgets/session_status.h"

#include "session/analysis_session.h"
#include "widgets/download_status.h"

#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

namespace attnscope::ui {

SessionStatus::SessionStatus(QStatusBar* bar, AnalysisSession* session) : QObject(bar), m_bar(bar), m_session(session) {
    m_model = new QLabel(tr("No model"));
    m_timing = new QLabel;
    m_busy = new QLabel(tr("analysing…"));
    m_busy->setStyleSheet(QStringLiteral("color: #4477aa; font-weight: bold;"));
    m_busy->hide();
    m_download = new DownloadStatus(session);
    bar->addWidget(m_model, 1);
    bar->addPermanentWidget(m_download);
    bar->addPermanentWidget(m_busy);
    bar->addPermanentWidget(m_timing);

    connect(session, &AnalysisSession::busyChanged, m_busy, &QWidget::setVisible);
    connect(session, &AnalysisSession::modelLoading, this, [this](const QString& folder) { m_bar->showMessage(tr("Loading %1…").arg(folder)); });
    connect(session, &AnalysisSession::modelFailed, m_bar, &QStatusBar::clearMessage);  // "Loading …" is over
    connect(session, &AnalysisSession::modelChanged, this, &SessionStatus::showModel);
    connect(session, &AnalysisSession::traceOpening, this, [this](const QString& path) {
        m_bar->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    });
    connect(session, &AnalysisSession::traceProgress, this, [this](int done, int layers) {
        m_bar->showMessage(tr("Checking the trace: layer %1 of %2…").arg(done).arg(layers));
    });
    connect(session, &AnalysisSession::traceFailed, m_bar, &QStatusBar::clearMessage);
    connect(session, &AnalysisSession::traceOpened, this, &SessionStatus::showTrace);
    connect(session, &AnalysisSession::resultReady, this, [this](const AnalysisResultPtr& result) {
        const double ms = result->milliseconds;
        m_timing->setText(tr("%1 tokens · %2 ms").arg(result->trace->tokens()).arg(ms, 0, 'f', ms < 10 ? 1 : 0));
    });
}

QString SessionStatus::modelText() const { return m_model->text(); }

void SessionStatus::showModel() {
    const LoadedModelPtr model = m_session->model();
    if (!model) return;
    const bool builtin = model->folder.startsWith(QLatin1Char(':'));
    m_model->setText(QStringLiteral("%1%2 — %3").arg(model->config().name, builtin ? tr(" (built in)") : QString(), model->summary()));
    m_model->setToolTip(QString());
    m_bar->clearMessage();
}

void SessionStatus::showTrace() {
    const auto opened = m_session->traceFile();
    if (!opened) return;
    const core::TraceInfo& info = opened->info;
    const core::AttentionTrace& t = *opened->trace;
    const QString layers = t.layers() == t.modelLayers() ? tr("%1 layers").arg(t.layers())
                                                         : tr("%1 of %2 layers").arg(t.layers()).arg(t.modelLayers());
    m_model->setText(tr("Trace of %1 (%2) — %3 × %4 heads, %5 tokens; holds %6")
                         .arg(info.model, info.modelType.isEmpty() ? tr("unknown type") : info.modelType, layers)
                         .arg(t.heads())
                         .arg(t.tokens())
                         .arg(opened->contents));
    m_model->setToolTip(opened->lacks.isEmpty() ? opened->path : tr("%1\nLacks: %2").arg(opened->path, opened->lacks.join(QStringLiteral("; "))));
    m_bar->clearMessage();
}

}  // namespace attnscope::ui
