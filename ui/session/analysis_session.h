#pragma once

#include "model/model_loader.h"
#include "session/analysis_result.h"
#include "session/image_input.h"
#include "trace/trace_file.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

namespace attnscope::ui {

using LoadedModelPtr = std::shared_ptr<const core::LoadedModel>;

// Runs model loading and analyses on a worker thread; the GUI thread never runs a forward pass.
// A new request cancels the stale one (the forward pass checks the flag between layers) and
// typing is debounced. Results arrive as immutable snapshots.
class AnalysisSession : public QObject {
    Q_OBJECT

public:
    explicit AnalysisSession(QObject* parent = nullptr);
    ~AnalysisSession() override;

    // Loads a model folder, or a Hub id (from the cache, downloaded when missing: modelDownloading
    // reports the progress), in the background; on failure the previous model stays.
    void openModel(const QString& folderOrHubId);
    // Stops a download in progress (modelFailed("cancelled")).
    void cancelDownload();
    // Uses an already loaded model (tests, built-in models) and re-analyses the current text.
    void setModel(LoadedModelPtr model);
    LoadedModelPtr model() const { return m_model; }

    // Typing: the first change after a pause is analysed at once; changes during a burst are
    // collected and the last one is analysed when the burst has been quiet for the debounce delay.
    // A new analysis cancels the one in flight.
    void setText(const QString& text);
    // Analyses at once.
    void analyzeNow(const QString& text);
    QString text() const { return m_text; }
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }
    void setTruncate(bool on) { m_truncate = on; }
    // Heads switched off and the weights the views show; a change re-analyses the current input.
    void setSettings(const AnalysisSettings& settings);
    const AnalysisSettings& settings() const { return m_settings; }

    // Image input for vision models: analysed at once. A text model refuses it (analysisFailed)
    // and keeps its state. With a vision model, typed text is refused the same way.
    void setImage(std::shared_ptr<const DecodedImage> image, const QString& path);
    // Decodes an image file on the worker thread (a slow or hostile file never blocks the GUI),
    // then analyses it: imageOpened, or imageFailed with the reason (the previous picture stays).
    void openImage(const QString& path);
    std::shared_ptr<const DecodedImage> image() const { return m_image; }
    QString imagePath() const { return m_imagePath; }
    bool imageMode() const { return m_model && m_model->config().isVision(); }

    // Opens a trace file (docs/trace-format.md) on the worker: every row checked, traceProgress
    // per layer; then the session shows it instead of a model (traceOpened, resultReady), with
    // nothing to run: typing and settings wait for a model. On failure (traceFailed) nothing changes.
    // Opening another trace or a model cancels one being opened.
    void openTrace(const QString& path);
    void cancelTrace();
    // The trace file shown (no model then), or null.
    std::shared_ptr<const core::OpenedTrace> traceFile() const { return m_traceFile; }

    AnalysisResultPtr result() const { return m_result; }
    bool busy() const { return m_pending > 0; }

    static constexpr int kDefaultDebounceMs = 120;
    static constexpr int kTopK = 5;

Q_SIGNALS:
    void modelLoading(const QString& folder);
    // A Hub model being downloaded: bytes done of total for the download, speed, seconds left (-1: unknown).
    void modelDownloading(const QString& id, qint64 done, qint64 total, double bytesPerSecond, double secondsLeft);
    void modelChanged();
    void modelFailed(const QString& message);
    void busyChanged(bool busy);
    void resultReady(attnscope::ui::AnalysisResultPtr result);
    void analysisFailed(const QString& message);
    void imageOpened(const QString& path);
    void imageFailed(const QString& message);
    void traceOpening(const QString& path);
    void traceProgress(int layersDone, int layers);
    void traceOpened();
    void traceFailed(const QString& message);

private:
    void start();
    void startImage();
    void finished(quint64 generation, AnalysisResultPtr result, const QString& error);
    void setPending(int delta);

    QThread m_thread;
    QObject* m_worker = nullptr;  // lives in m_thread
    QTimer m_debounce;
    LoadedModelPtr m_model;
    QString m_text;
    std::shared_ptr<const DecodedImage> m_image;
    QString m_imagePath;
    bool m_truncate = true;
    AnalysisSettings m_settings;
    bool m_dirty = false;  // text changed during the debounce window
    quint64 m_generation = 0;
    quint64 m_imageRequest = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<bool>> m_downloadCancel = std::make_shared<std::atomic<bool>>(false);
    AnalysisResultPtr m_result;
    std::shared_ptr<const core::OpenedTrace> m_traceFile;
    std::shared_ptr<std::atomic<bool>> m_traceCancel;
    int m_pending = 0;
};

// Runs one analysis (tokenize, forward with trace, predictions). Thread-safe; used by the session
// and by headless rendering.
// With heads switched off (settings.ablate), the predictions also say each token's probability with
// every head on (a second forward pass without the trace).
core::Result<AnalysisResultPtr> runAnalysis(const core::LoadedModel& model, const QString& text, bool truncate,
                                            quint64 generation = 0, const std::atomic<bool>* cancel = nullptr,
                                            const AnalysisSettings& settings = {});
// Replaces the result's trace by its value-weighted form when the settings ask for it (or says why not).
void applyWeights(AnalysisResult& result, const AnalysisSettings& settings);

}  // namespace attnscope::ui

Q_DECLARE_METATYPE(attnscope::ui::AnalysisResultPtr)
