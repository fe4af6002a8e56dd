#include "widgets/session_restorer.h"

#include "session/view_state.h"
#include "widgets/figure_view.h"
#include "widgets/qkv_view.h"
#include "widgets/sentence_bar.h"
#include "widgets/view_tabs.h"

namespace attnscope::ui {

SessionRestorer::SessionRestorer(const Window& window, QObject* parent) : QObject(parent), m_window(window) {}

void SessionRestorer::open(const SessionFile& session) {
    AnalysisSession* s = m_window.session;
    m_pending = session;
    if (!session.imagePath.isEmpty()) {  // an image session: the model, then its picture
        auto openPicture = [this, s, image = session.imagePath] { if (s->imageMode()) m_window.openImage(image); };
        if (s->model() && m_window.isOpen(session.modelPath)) {
            openPicture();
        } else {
            connect(s, &AnalysisSession::modelChanged, this, openPicture, Qt::SingleShotConnection);
            m_window.openModel(session.modelPath);
        }
        return;
    }
    m_window.sentence->setTextQuietly(session.text);
    s->setText(session.text);
    if (s->model() && m_window.isOpen(session.modelPath))
        s->analyzeNow(session.text);
    else
        m_window.openModel(session.modelPath);
}

bool SessionRestorer::applyTo(const AnalysisResult& result) {
    if (!m_pending) return false;
    if (m_pending->imagePath.isEmpty() ? result.text != m_pending->text : result.imagePath != m_pending->imagePath) return false;
    const SessionFile s = *m_pending;
    m_pending.reset();
    applyViewState(s, m_window.state);
    m_window.qkv->setStepIndex(s.qkvStep);
    m_window.tabs->showView(s.view);
    return true;
}

SessionFile SessionRestorer::current() const {
    SessionFile s;
    if (const LoadedModelPtr model = m_window.session->model()) {
        s.modelPath = model->source;
        s.modelFromHub = model->source != model->folder;
        s.modelName = model->config().name;
        s.modelType = model->config().modelType;
    }
    s.text = m_window.sentence->text();
    if (const FigureView* f = m_window.tabs->currentFigure()) s.view = f->figureName();
    readViewState(*m_window.state, &s);
    s.qkvStep = m_window.qkv->stepIndex();
    if (m_window.session->imageMode()) s.imagePath = m_window.session->imagePath();
    return s;
}

}  // namespace attnscope::ui
