#pragma once

#include "session/analysis_result.h"
#include "train/teaching_trainer.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace attnscope::ui {

// Trains a teaching model on a worker thread for the Train view: progress as signals, a preview
// analysis of a chosen sentence every few hundred steps, pause/resume, cancel, save.
class TrainingSession : public QObject {
    Q_OBJECT

public:
    explicit TrainingSession(QObject* parent = nullptr);
    ~TrainingSession() override;

    void start(const core::train::TeachingOptions& options, const QString& sentence);
    void pause() { m_pauseRequested.store(true); }
    void resume();
    void cancel();
    void setSentence(const QString& sentence);
    // Writes the current weights as a model folder (with the best coreference head found).
    void save(const QString& folder);

    bool running() const { return m_running; }
    bool isPaused() const { return m_paused; }
    int previewEvery() const { return m_previewEvery.load(); }
    void setPreviewEvery(int steps) { m_previewEvery.store(std::max(25, steps)); }

Q_SIGNALS:
    void progress(int step, int steps, double loss, double accuracy, double seconds);
    void preview(attnscope::ui::AnalysisResultPtr result, int step);
    void pausedChanged(bool paused);
    void finished(double heldOutAccuracy, int layer, int head, double headAccuracy);
    void saved(const QString& folder);
    void failed(const QString& message);

private:
    void runOnWorker();
    // Runs work on the worker; an exception becomes failed() instead of ending the app.
    void guarded(const std::function<void()>& work);
    void makePreview(int step);

    QThread m_thread;
    QObject* m_worker = nullptr;
    std::shared_ptr<core::train::TeachingTrainer> m_trainer;  // used on the worker only
    std::atomic<bool> m_pauseRequested{false};
    std::atomic<bool> m_cancelRequested{false};
    QString m_sentence;  // read on the worker under m_sentenceMutex
    std::mutex m_sentenceMutex;
    std::atomic<int> m_previewEvery{200};
    bool m_running = false;
    bool m_paused = false;
};

}  // namespace attnscope::ui
