#include "session/analysis_session.h"

#include "analysis/value_norms.h"
#include "kernels/kernels.h"

#include "analysis/referent_reading.h"

#include "hub/model_source.h"
#include "model/text_analysis.h"
#include "session/image_analysis.h"
#include "session/trace_result.h"
#include "tokenize/token_labels.h"

#include <QElapsedTimer>

#include <optional>

#include <new>
#include <stdexcept>

namespace attnscope::ui {
namespace {

// Runs work on the worker thread; anything it throws becomes an error message instead of
// terminating the app (nothing may throw across threads).
template <typename T, typename Work>
core::Result<T> guarded(Work&& work) {
    try {
        return work();
    } catch (const std::bad_alloc&) {
        return core::inputError(QStringLiteral("out of memory: the input needs more memory than the system could give"));
    } catch (const std::exception& e) {
        return core::internalError(QStringLiteral("unexpected error: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        return core::internalError(QStringLiteral("unexpected error"));
    }
}

}  // namespace

void applyWeights(AnalysisResult& result, const AnalysisSettings& settings) {
    if (!settings.valueWeighted || !result.trace) return;
    auto weighted = core::valueWeightedTrace(*result.trace);
    if (!weighted) {
        result.weightsNote = weighted.error().message;
        return;
    }
    result.trace = *weighted;
    result.valueWeighted = true;
}

core::Result<AnalysisResultPtr> runAnalysis(const core::LoadedModel& model, const QString& text, bool truncate,
                                            quint64 generation, const std::atomic<bool>* cancel, const AnalysisSettings& settings) {
    QElapsedTimer timer;
    timer.start();
    core::AnalysisOptions options;
    options.truncate = truncate;
    options.ablate = settings.ablate;
    options.valueNorms = settings.valueWeighted;
    auto analysis = core::analyzeText(model, text, options, cancel);
    if (!analysis) return analysis.error();
    // With heads off, the same input with every head on, for the predictions' "before".
    std::optional<core::ForwardOutput> intact;
    if (!settings.ablate.empty() && model.model->hasLmHead()) {
        core::AnalysisOptions plain;
        plain.truncate = truncate;
        plain.record = false;
        auto whole = core::analyzeText(model, text, plain, cancel);
        if (!whole) return whole.error();
        intact = std::move(whole->output);
    }
    auto result = std::make_shared<AnalysisResult>();
    result->generation = generation;
    result->text = text;
    result->encoding = std::move(analysis->encoding);
    result->trace = analysis->trace;
    result->causal = model.config().causal;
    result->truncated = analysis->truncated;
    result->fullTokens = analysis->fullTokens;
    result->cutAt = analysis->cutAt;
    result->ablated = analysis->ablated;
    const core::Tokenizer& tok = *model.tokenizer;
    result->labels = core::tokenLabels(tok, result->encoding, text);
    if (model.model->hasLmHead()) {
        std::vector<int> positions;
        if (result->causal) {
            positions.push_back(result->encoding.size() - 1);
        } else {
            for (int i = 0; i < result->encoding.size(); ++i)
                if (result->encoding.ids[size_t(i)] == tok.maskId()) positions.push_back(i);
        }
        auto at = [&](int p) {
            PositionPredictions pp;
            pp.position = p;
            pp.top = model.model->topK(analysis->output, p, AnalysisSession::kTopK);
            for (const auto& s : pp.top) pp.texts << tok.display(s.id);
            if (intact) {
                std::vector<float> probs = model.model->lmLogits(*intact, p);
                core::kernels::softmax(probs.data(), int64_t(probs.size()));
                for (const auto& s : pp.top) pp.before.push_back(probs[size_t(s.id)]);
            }
            return pp;
        };
        for (int p : positions) result->predictions.push_back(at(p));
        // What the head reads at every token (a pronoun's referent, for the teaching model). It costs
        // V x H x n multiply-adds: ~0.1 M for a 133-word model, 680 M for bert-base at 29 tokens
        // (more than the forward pass), so only small ones get every token; a model with a
        // coreference head always gets its pronouns (V x H each: 2.9 M for the teaching model).
        const int n = result->encoding.size();
        const int64_t cost = int64_t(model.config().vocabSize) * model.config().hidden * n;
        const bool every = cost <= 20'000'000;
        if (!result->causal && (every || core::readsReferents(model.config()))) {
            const std::vector<core::ReferentReading> pronouns = core::readReferents(
                model.config(), tok, text, result->encoding, *result->trace, {});
            for (int p = 0; p < n; ++p) {
                const bool isPronoun = std::any_of(pronouns.begin(), pronouns.end(), [p](const auto& r) { return r.pronoun == p; });
                if (every || isPronoun) result->perToken.push_back(at(p));
                else result->perToken.push_back(PositionPredictions{p, {}, {}, {}});
            }
        }
    }
    if (core::readsReferents(model.config())) {
        std::vector<int> predicted(size_t(result->encoding.size()), -1);
        for (const PositionPredictions& pp : result->perToken)
            if (!pp.top.empty()) predicted[size_t(pp.position)] = pp.top[0].id;
        result->referents = core::readReferents(model.config(), tok, text, result->encoding, *result->trace, predicted);
    }
    if (settings.lens) {  // before the weights: the lens reads the hidden states of this trace
        auto lens = core::logitLens(*model.model, *result->trace, AnalysisSession::kTopK, cancel);
        if (lens) {
            for (const core::TokenScore& s : lens->cells) result->lensTexts << tok.display(s.id);
            result->lens = std::make_shared<const core::LogitLens>(std::move(lens).value());
        } else {
            if (cancel && cancel->load()) return lens.error();
            result->lensNote = lens.error().message;
        }
    }
    applyWeights(*result, settings);
    result->milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return AnalysisResultPtr(result);
}

void AnalysisSession::setSettings(const AnalysisSettings& settings) {
    if (settings == m_settings) return;
    m_settings = settings;
    if (m_model && (imageMode() ? m_image != nullptr : !m_text.isEmpty())) start();
}

AnalysisSession::AnalysisSession(QObject* parent) : QObject(parent) {
    qRegisterMetaType<AnalysisResultPtr>();
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("attnscope-analysis"));
    m_thread.start();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDefaultDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        if (!m_dirty) return;
        m_dirty = false;
        start();
    });
}

AnalysisSession::~AnalysisSession() {
    if (m_cancel) m_cancel->store(true);
    if (m_traceCancel) m_traceCancel->store(true);
    m_downloadCancel->store(true);
    m_thread.quit();
    m_thread.wait();
}

void AnalysisSession::setPending(int delta) {
    const bool was = busy();
    m_pending += delta;
    if (was != busy()) Q_EMIT busyChanged(busy());
}

void AnalysisSession::openModel(const QString& folder) {
    Q_EMIT modelLoading(folder);
    setPending(+1);
    m_downloadCancel->store(false);
    const auto cancel = m_downloadCancel;
    QMetaObject::invokeMethod(m_worker, [this, folder, cancel] {
        auto loaded = guarded<core::LoadedModel>([&]() -> core::Result<core::LoadedModel> {
            core::ModelSourceOptions options;
            options.cancel = cancel.get();
            options.progress = [this, folder](const core::DownloadProgress& p) {
                QMetaObject::invokeMethod(this, [this, folder, p] { Q_EMIT modelDownloading(folder, p.done, p.total, p.bytesPerSecond, p.secondsLeft); });
            };
            auto source = core::resolveModelSource(folder, core::HubEnvironment::fromSystem(), options);
            if (!source) return source.error();
            auto model = core::loadModelFolder(source->folder);
            if (model && source->hub) model->source = source->hub->display();  // recent models and sessions keep the id
            return model;
        });
        LoadedModelPtr model = loaded ? std::make_shared<const core::LoadedModel>(std::move(loaded).value()) : nullptr;
        const QString error = loaded ? QString() : loaded.message();
        QMetaObject::invokeMethod(this, [this, model, error] {
            setPending(-1);
            if (!model) {
                Q_EMIT modelFailed(error);
                return;
            }
            setModel(model);
        });
    });
}

void AnalysisSession::cancelDownload() { m_downloadCancel->store(true); }

void AnalysisSession::openTrace(const QString& path) {
    cancelTrace();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_traceCancel = cancel;
    Q_EMIT traceOpening(path);
    setPending(+1);
    QMetaObject::invokeMethod(m_worker, [this, path, cancel] {
        QElapsedTimer timer;
        timer.start();
        auto opened = guarded<core::OpenedTrace>([&] {
            return core::openTraceFile(path, cancel.get(), [this, cancel](int done, int layers) {
                if (!cancel->load()) QMetaObject::invokeMethod(this, [this, done, layers] { Q_EMIT traceProgress(done, layers); });
            });
        });
        auto trace = opened ? std::make_shared<const core::OpenedTrace>(std::move(opened).value()) : nullptr;
        const QString error = opened ? QString() : opened.message();
        const double ms = double(timer.nsecsElapsed()) / 1e6;  // reading and checking every row
        QMetaObject::invokeMethod(this, [this, trace, error, cancel, ms] {
            setPending(-1);
            if (cancel->load() || cancel != m_traceCancel) return;  // superseded: its error is no news
            m_traceCancel.reset();
            if (!trace) {
                Q_EMIT traceFailed(error);
                return;
            }
            if (m_cancel) m_cancel->store(true);  // a model's analysis in flight is stale now
            ++m_generation;
            m_debounce.stop();
            m_dirty = false;
            m_model.reset();
            m_image.reset();
            m_imagePath.clear();
            m_traceFile = trace;
            m_text = trace->info.text;
            m_result = traceAnalysisResult(trace, m_generation, ms);
            Q_EMIT traceOpened();
            Q_EMIT resultReady(m_result);
        });
    });
}

void AnalysisSession::cancelTrace() {
    if (m_traceCancel) m_traceCancel->store(true);
    m_traceCancel.reset();
}

void AnalysisSession::setModel(LoadedModelPtr model) {
    cancelTrace();
    m_traceFile.reset();
    m_model = std::move(model);
    Q_EMIT modelChanged();
    if (imageMode() ? m_image != nullptr : !m_text.trimmed().isEmpty()) analyzeNow(m_text);
}

void AnalysisSession::setImage(std::shared_ptr<const DecodedImage> image, const QString& path) {
    if (m_model && !m_model->config().isVision()) {
        Q_EMIT analysisFailed(imageToTextModelError(*m_model));
        return;
    }
    m_image = std::move(image);
    m_imagePath = path;
    m_debounce.stop();
    m_dirty = false;
    start();
}

void AnalysisSession::openImage(const QString& path) {
    if (m_model && !m_model->config().isVision()) {
        Q_EMIT imageFailed(imageToTextModelError(*m_model));
        return;
    }
    const quint64 request = ++m_imageRequest;
    setPending(+1);
    QMetaObject::invokeMethod(m_worker, [this, path, request] {
        auto decoded = guarded<DecodedImage>([&] { return decodeImageFile(path); });
        auto image = decoded ? std::make_shared<const DecodedImage>(std::move(decoded).value()) : nullptr;
        const QString error = decoded ? QString() : decoded.message();
        QMetaObject::invokeMethod(this, [this, path, request, image, error] {
            setPending(-1);
            if (request != m_imageRequest) return;  // another image was asked for since
            if (!image) {
                Q_EMIT imageFailed(error);
                return;
            }
            Q_EMIT imageOpened(path);
            setImage(image, path);
        });
    });
}

void AnalysisSession::setText(const QString& text) {
    m_text = text;
    if (!m_debounce.isActive()) {
        m_dirty = false;
        start();  // leading edge: no waiting after a pause
    } else {
        m_dirty = true;  // trailing edge: once the burst is over
    }
    m_debounce.start();
}

void AnalysisSession::analyzeNow(const QString& text) {
    m_text = text;
    m_debounce.stop();
    m_dirty = false;
    start();
}

void AnalysisSession::start() {
    if (!m_model) return;
    if (imageMode()) {
        startImage();
        return;
    }
    if (m_cancel) m_cancel->store(true);  // the stale run stops at its next layer
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const quint64 generation = ++m_generation;
    const LoadedModelPtr model = m_model;
    const QString text = m_text;
    const bool truncate = m_truncate;
    const AnalysisSettings settings = m_settings;
    setPending(+1);
    QMetaObject::invokeMethod(m_worker, [this, model, text, truncate, generation, cancel, settings] {
        if (cancel->load()) {  // superseded before it started
            QMetaObject::invokeMethod(this, [this, generation] { finished(generation, nullptr, QString()); });
            return;
        }
        auto result = guarded<AnalysisResultPtr>([&] { return runAnalysis(*model, text, truncate, generation, cancel.get(), settings); });
        AnalysisResultPtr ptr = result ? *result : nullptr;
        const QString error = result ? QString() : result.message();
        QMetaObject::invokeMethod(this, [this, generation, ptr, error] { finished(generation, ptr, error); });
    });
}

void AnalysisSession::startImage() {
    if (!m_image) {
        if (!m_text.trimmed().isEmpty()) Q_EMIT analysisFailed(textToImageModelError(*m_model));
        return;
    }
    if (m_cancel) m_cancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const quint64 generation = ++m_generation;
    const LoadedModelPtr model = m_model;
    const std::shared_ptr<const DecodedImage> image = m_image;
    const QString path = m_imagePath;
    const AnalysisSettings settings = m_settings;
    setPending(+1);
    QMetaObject::invokeMethod(m_worker, [this, model, image, path, generation, cancel, settings] {
        auto result = cancel->load() ? core::Result<AnalysisResultPtr>(AnalysisResultPtr()) :
                                       guarded<AnalysisResultPtr>([&] { return runImageAnalysis(*model, *image, path, kTopK, generation, cancel.get(), settings); });
        AnalysisResultPtr ptr = result ? *result : nullptr;
        const QString error = result ? QString() : result.message();
        QMetaObject::invokeMethod(this, [this, generation, ptr, error] { finished(generation, ptr, error); });
    });
}

void AnalysisSession::finished(quint64 generation, AnalysisResultPtr result, const QString& error) {
    setPending(-1);
    if (generation != m_generation) return;  // a newer request is on its way
    if (!result) {
        if (!error.isEmpty()) Q_EMIT analysisFailed(error);
        return;
    }
    m_result = std::move(result);
    Q_EMIT resultReady(m_result);
}

}  // namespace attnscope::ui
