#include "session/image_analysis.h"

#include "model/image_preprocessor.h"
#include "model/text_analysis.h"

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

core::Result<AnalysisResultPtr> runImageAnalysis(const core::LoadedModel& model, const DecodedImage& image, const QString& path, int topK,
                                                 quint64 generation, const std::atomic<bool>* cancel) {
    if (!model.config().isVision()) return core::inputError(imageToTextModelError(model));
    QElapsedTimer timer;
    timer.start();
    auto pre = core::loadPreprocessorConfig(model.folder, model.config());
    if (!pre) return pre.error();
    auto analysis = core::analyzeImage(model, core::preprocessImage(image.rgb, *pre), {}, cancel);
    if (!analysis) return analysis.error();
    auto result = std::make_shared<AnalysisResult>();
    result->generation = generation;
    result->text = QFileInfo(path).fileName();
    result->encoding = std::move(analysis->encoding);
    result->trace = analysis->trace;
    result->labels = result->encoding.tokens;
    result->picture = std::make_shared<const QImage>(image.image);
    result->imagePath = path;
    result->grid = model.config().patchesPerSide();
    if (model.model->hasClassifier()) {
        const std::vector<float> logits = model.model->classLogits(analysis->output);
        std::vector<double> p(logits.begin(), logits.end());
        const double mx = *std::max_element(p.begin(), p.end());
        double sum = 0;
        for (double& v : p) sum += v = std::exp(v - mx);
        std::vector<int> order(p.size());
        std::iota(order.begin(), order.end(), 0);
        const int k = std::min<int>(topK, int(order.size()));
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
        PositionPredictions classes;
        classes.position = 0;
        for (int i = 0; i < k; ++i) {
            classes.top.push_back({order[size_t(i)], float(p[size_t(order[size_t(i)])] / sum)});
            classes.texts << model.config().labels.value(order[size_t(i)], QStringLiteral("class %1").arg(order[size_t(i)]));
        }
        result->predictions.push_back(classes);
    }
    result->milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return AnalysisResultPtr(result);
}

}  // namespace attnscope::ui
