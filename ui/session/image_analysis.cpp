#include "session/image_analysis.h"

#include "model/image_preprocessor.h"
#include "model/text_analysis.h"
#include "session/analysis_session.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attnscope::ui {

QString imageToTextModelError(const core::LoadedModel& model) {
    return QStringLiteral("%1 is a text model and cannot read images; use an image model (a ViT folder, or the built-in image teaching model)")
        .arg(model.config().name);
}

QString textToImageModelError(const core::LoadedModel& model) {
    return QStringLiteral("%1 is an image model; give it an image instead of text").arg(model.config().name);
}

namespace {

std::vector<double> softmaxOf(const std::vector<float>& logits) {
    std::vector<double> p(logits.begin(), logits.end());
    if (p.empty()) return p;
    const double mx = *std::max_element(p.begin(), p.end());
    double sum = 0;
    for (double& v : p) sum += v = std::exp(v - mx);
    for (double& v : p) v /= sum;
    return p;
}

}  // namespace

core::Result<AnalysisResultPtr> runImageAnalysis(const core::LoadedModel& model, const DecodedImage& image, const QString& path, int topK,
                                                 quint64 generation, const std::atomic<bool>* cancel, const AnalysisSettings& settings) {
    if (!model.config().isVision()) return core::inputError(imageToTextModelError(model));
    QElapsedTimer timer;
    timer.start();
    auto pre = core::loadPreprocessorConfig(model.folder, model.config());
    if (!pre) return pre.error();
    const core::ImageTensor pixels = core::preprocessImage(image.rgb, *pre);
    core::AnalysisOptions options;
    options.ablate = settings.ablate;
    options.valueNorms = settings.valueWeighted;
    auto analysis = core::analyzeImage(model, pixels, options, cancel);
    if (!analysis) return analysis.error();
    std::vector<double> intact;  // the class probabilities with every head on (heads switched off only)
    if (!settings.ablate.empty() && model.model->hasClassifier()) {
        core::AnalysisOptions plain;
        plain.record = false;
        auto whole = core::analyzeImage(model, pixels, plain, cancel);
        if (!whole) return whole.error();
        intact = softmaxOf(model.model->classLogits(whole->output));
    }
    auto result = std::make_shared<AnalysisResult>();
    result->generation = generation;
    result->text = QFileInfo(path).fileName();
    result->encoding = std::move(analysis->encoding);
    result->trace = analysis->trace;
    result->labels = result->encoding.tokens;
    result->picture = std::make_shared<const QImage>(image.image);
    result->imagePath = path;
    result->grid = model.config().patchesPerSide();
    result->ablated = analysis->ablated;
    if (model.model->hasClassifier()) {
        const std::vector<double> p = softmaxOf(model.model->classLogits(analysis->output));
        std::vector<int> order(p.size());
        std::iota(order.begin(), order.end(), 0);
        const int k = std::min<int>(topK, int(order.size()));
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
        PositionPredictions classes;
        classes.position = 0;
        for (int i = 0; i < k; ++i) {
            classes.top.push_back({order[size_t(i)], float(p[size_t(order[size_t(i)])])});
            if (!intact.empty()) classes.before.push_back(float(intact[size_t(order[size_t(i)])]));
            classes.texts << model.config().labels.value(order[size_t(i)], QStringLiteral("class %1").arg(order[size_t(i)]));
        }
        result->predictions.push_back(classes);
    }
    if (settings.lens)
        result->lensNote = QStringLiteral("%1 is an image model: it has no language-model head to read its layers through").arg(model.config().name);
    applyWeights(*result, settings);
    result->milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return AnalysisResultPtr(result);
}

}  // namespace attnscope::ui
