#include "session/training_session.h"

#include "session/analysis_session.h"

#include <QDir>

namespace attnscope::ui {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("attnscope-training"));
    m_thread.start();
}

TrainingSession::~TrainingSession() {
    m_cancelRequested.store(true);
    m_pauseRequested.store(true);
    m_thread.quit();
    m_thread.wait();
}

void TrainingSession::start(const core::train::TeachingOptions& options, const QString& sentence) {
    if (m_running && !m_paused) return;
    setSentence(sentence);
    m_cancelRequested.store(false);
    m_pauseRequested.store(false);
    m_running = true;
    m_paused = false;
    QMetaObject::invokeMethod(m_worker, [this, options] {
        guarded([&] {
            m_trainer = std::make_shared<core::train::TeachingTrainer>(options);
            makePreview(0);
            runOnWorker();
        });
    });
}

void TrainingSession::resume() {
    if (!m_running || !m_paused) return;
    m_pauseRequested.store(false);
    m_paused = false;
    Q_EMIT pausedChanged(false);
    QMetaObject::invokeMethod(m_worker, [this] { guarded([this] { runOnWorker(); }); });
}

void TrainingSession::guarded(const std::function<void()>& work) {
    QString message;
    try {
        work();
        return;
    } catch (const std::bad_alloc&) {
        message = tr("out of memory while training");
    } catch (const std::exception& e) {
        message = tr("training failed: %1").arg(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        message = tr("training failed");
    }
    QMetaObject::invokeMethod(this, [this, message] {
        m_running = false;
        Q_EMIT failed(message);
    });
}

void TrainingSession::cancel() {
    m_cancelRequested.store(true);
    m_pauseRequested.store(true);
    QMetaObject::invokeMethod(m_worker, [this] { m_trainer.reset(); });
    m_running = false;
    m_paused = false;
}

void TrainingSession::setSentence(const QString& sentence) {
    std::lock_guard<std::mutex> lock(m_sentenceMutex);
    m_sentence = sentence;
}

void TrainingSession::makePreview(int step) {
    QString sentence;
    {
        std::lock_guard<std::mutex> lock(m_sentenceMutex);
        sentence = m_sentence;
    }
    if (sentence.trimmed().isEmpty() || !m_trainer) return;
    auto model = m_trainer->snapshot();
    if (!model) return;
    auto result = runAnalysis(*model, sentence, true);
    if (!result) return;
    AnalysisResultPtr r = *result;
    QMetaObject::invokeMethod(this, [this, r, step] { Q_EMIT preview(r, step); });
}

void TrainingSession::runOnWorker() {
    if (!m_trainer) return;
    const int steps = m_trainer->train([this](const core::train::TeachingProgress& p) {
        QMetaObject::invokeMethod(this, [this, p] { Q_EMIT progress(p.step, p.steps, p.loss, p.referentAccuracy, p.seconds); });
        if (p.step % m_previewEvery == 0) makePreview(p.step);
        return !m_pauseRequested.load();
    }, 25);
    if (m_cancelRequested.load()) return;
    if (steps < m_trainer->options().steps) {  // paused
        QMetaObject::invokeMethod(this, [this] {
            m_paused = true;
            Q_EMIT pausedChanged(true);
        });
        return;
    }
    makePreview(steps);
    auto model = m_trainer->snapshot();
    if (!model) {
        const QString message = model.message();
        QMetaObject::invokeMethod(this, [this, message] { Q_EMIT failed(message); });
        return;
    }
    auto ev = core::train::evaluateTeachingModel(*model, m_trainer->corpus().heldOut(200));
    QMetaObject::invokeMethod(this, [this, ev] {
        m_running = false;
        if (!ev) return Q_EMIT failed(ev.message());
        Q_EMIT finished(ev->referentAccuracy, ev->bestLayer, ev->bestHead, ev->bestHeadAccuracy);
    });
}

void TrainingSession::save(const QString& folder) {
    QMetaObject::invokeMethod(m_worker, [this, folder] {
        if (!m_trainer) {
            QMetaObject::invokeMethod(this, [this] { Q_EMIT failed(tr("Train a model first")); });
            return;
        }
        std::optional<core::train::TeachingEvaluation> evaluation;
        if (auto model = m_trainer->snapshot()) {
            if (auto ev = core::train::evaluateTeachingModel(*model, m_trainer->corpus().heldOut(200))) evaluation = *ev;
        }
        const core::Status s = m_trainer->exportFolder(folder, evaluation ? &*evaluation : nullptr);
        QMetaObject::invokeMethod(this, [this, s, folder] {
            if (!s) Q_EMIT failed(s.message());
            else Q_EMIT saved(QDir(folder).absolutePath());
        });
    });
}

}  // namespace attnscope::ui
