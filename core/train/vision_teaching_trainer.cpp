#include "train/vision_teaching_trainer.h"

#include "analysis/rollout.h"
#include "io/trace_export.h"
#include "model/image_preprocessor.h"
#include "model/text_analysis.h"
#include "train/data_parallel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>

namespace attnscope::core::train {

PreprocessorConfig visionTeachingPreprocessor(int imageSize) {
    PreprocessorConfig p;
    p.height = p.width = imageSize;
    return p;  // bilinear, rescale 1/255, mean = std = 0.5
}

VisionTeachingTrainer::VisionTeachingTrainer(const VisionTeachingOptions& options)
    : m_options(options), m_dataset(options.model.imageSize, options.seed), m_rng(options.seed) {
    TrainableVitConfig c = options.model;
    c.classes = int(ShapesDataset::colourNames().size());
    m_model = std::make_unique<TrainableVit>(c);
    m_model->params().initialise(options.seed);
    m_optimizer = std::make_unique<AdamW>(m_model->params().size());
    m_decay = weightDecayMask(m_model->params());
}

std::vector<float> VisionTeachingTrainer::input(const ImageTensor& rgb) const {
    return m_model->patches(preprocessImage(rgb, visionTeachingPreprocessor(m_options.model.imageSize)));
}

int VisionTeachingTrainer::train(const std::function<bool(const VisionTeachingProgress&)>& progress, int every) {
    // Time counts across pauses: a resumed run goes on from the seconds already trained.
    QElapsedTimer timer;
    timer.start();
    const double before = m_seconds;
    auto elapsed = [&] { return before + double(timer.nsecsElapsed()) / 1e9; };
    std::vector<float>& values = m_model->params().values();
    const int workers = std::max(1, m_options.threads);
    std::vector<std::vector<float>> grads(size_t(workers), std::vector<float>(values.size()));
    double lossSum = 0, correct = 0, seen = 0;
    for (; m_step < m_options.steps; ++m_step) {
        std::vector<std::vector<float>> inputs;
        std::vector<int> labels;
        for (int b = 0; b < m_options.batch; ++b) {
            const ShapesImage img = m_dataset.sample(m_rng);
            inputs.push_back(input(img.rgb));
            labels.push_back(img.label);
        }
        const float scale = 1.0f / float(m_options.batch);
        lossSum += dataParallelGradient(workers, inputs.size(), [&](size_t i, std::vector<float>& grad) {
            return m_model->lossAndGradient(inputs[i], labels[i], scale, &grad);
        }, grads);
        seen += m_options.batch;
        clipGradient(grads[0], 1.0f);
        m_optimizer->step(values, grads[0], m_decay, warmupThenDecay(m_step, m_options.learningRate, m_options.warmup, m_options.steps),
                          m_options.weightDecay);
        if (progress && (m_step + 1) % every == 0) {
            int hits = 0;
            for (size_t i = 0; i < 8; ++i) {
                const std::vector<float> logits = m_model->logits(inputs[i]);
                hits += int(std::max_element(logits.begin(), logits.end()) - logits.begin()) == labels[i];
            }
            correct = hits / 8.0;
            VisionTeachingProgress p{m_step + 1, m_options.steps, lossSum / std::max(1.0, seen), correct, elapsed()};
            lossSum = seen = 0;
            if (!progress(p)) {
                ++m_step;
                m_seconds = elapsed();
                return m_step;
            }
        }
    }
    m_seconds = elapsed();
    return m_step;
}

Status VisionTeachingTrainer::exportFolder(const QString& folder, std::optional<std::pair<int, int>> clsHead) const {
    if (!QDir().mkpath(folder)) return inputError(QStringLiteral("%1: cannot create the folder").arg(folder));
    const QDir dir(folder);
    const TrainableVitConfig& c = m_model->config();
    if (Status s = m_model->params().save(dir.filePath(QStringLiteral("model.safetensors"))); !s) return s;
    QJsonObject id2label, label2id;
    for (int i = 0; i < c.classes; ++i) {
        id2label.insert(QString::number(i), ShapesDataset::colourNames()[i]);
        label2id.insert(ShapesDataset::colourNames()[i], i);
    }
    QJsonObject config{{"architectures", QJsonArray{"ViTForImageClassification"}},
                       {"model_type", "vit"},
                       {"_name_or_path", "attnscope-teaching-vit"},
                       {"image_size", c.imageSize},
                       {"patch_size", c.patchSize},
                       {"num_channels", 3},
                       {"hidden_size", c.hidden},
                       {"num_hidden_layers", c.layers},
                       {"num_attention_heads", c.heads},
                       {"intermediate_size", c.intermediate},
                       {"hidden_act", "gelu"},
                       {"layer_norm_eps", double(c.eps)},
                       {"qkv_bias", true},
                       {"id2label", id2label},
                       {"label2id", label2id},
                       {"attnscope_training", QJsonObject{{"seed", qint64(m_options.seed)}, {"steps", m_step}}}};
    if (clsHead) config.insert(QStringLiteral("attnscope_cls_head"), QJsonArray{clsHead->first, clsHead->second});
    const PreprocessorConfig p = visionTeachingPreprocessor(c.imageSize);
    const QJsonObject preprocessor{{"image_processor_type", "ViTImageProcessor"},
                                   {"do_resize", true},
                                   {"size", QJsonObject{{"height", p.height}, {"width", p.width}}},
                                   {"resample", p.resample},
                                   {"do_rescale", true},
                                   {"rescale_factor", double(p.rescaleFactor)},
                                   {"do_normalize", true},
                                   {"image_mean", QJsonArray{0.5, 0.5, 0.5}},
                                   {"image_std", QJsonArray{0.5, 0.5, 0.5}}};
    auto writeJson = [&](const QString& name, const QJsonObject& object) {
        return saveBytesAtomically(dir.filePath(name), QJsonDocument(object).toJson());
    };
    if (Status s = writeJson(QStringLiteral("config.json"), config); !s) return s;
    return writeJson(QStringLiteral("preprocessor_config.json"), preprocessor);
}

Result<LoadedModel> VisionTeachingTrainer::snapshot() const {
    QTemporaryDir dir;
    if (!dir.isValid()) return internalError(QStringLiteral("cannot create a temporary folder"));
    if (Status s = exportFolder(dir.path()); !s) return s.error();
    return loadModelFolder(dir.path());
}

Result<VisionTeachingEvaluation> evaluateVisionTeachingModel(const LoadedModel& model, const PreprocessorConfig& pre,
                                                             const std::vector<ShapesImage>& images) {
    const ModelConfig& c = model.config();
    if (!c.isVision() || !model.model->hasClassifier()) return inputError(QStringLiteral("%1 is not a ViT image classifier").arg(c.name));
    VisionTeachingEvaluation ev;
    const int g = c.patchesPerSide(), patch = c.patchSize;
    std::vector<int> headHits(size_t(c.layers * c.heads), 0);
    int correct = 0, rolloutHits = 0;
    auto touches = [&](const ShapesImage& img, int patchIndex) {
        // The object mask is in the source image's pixels; scale patches to it.
        const int scale = img.rgb.width / c.imageSize;
        return patchTouchesObject(img, patch * std::max(1, scale), patchIndex / g, patchIndex % g);
    };
    for (const ShapesImage& img : images) {
        auto a = analyzeImage(model, preprocessImage(img.rgb, pre), {});
        if (!a) return a.error();
        const std::vector<float> logits = model.model->classLogits(a->output);
        correct += int(std::max_element(logits.begin(), logits.end()) - logits.begin()) == img.label;
        const AttentionTrace& t = *a->trace;
        for (int l = 0; l < t.layers(); ++l)
            for (int h = 0; h < t.heads(); ++h) {
                const HeadMatrices head = t.head(l, h);
                const float* row = head.probs() + 1;  // [CLS] row over the patches
                headHits[size_t(l * t.heads() + h)] += touches(img, int(std::max_element(row, row + t.tokens() - 1) - row));
            }
        const std::vector<float> rollout = clsRolloutMap(t, HeadFusion::Mean, 0.0f);
        rolloutHits += touches(img, int(std::max_element(rollout.begin(), rollout.end()) - rollout.begin()));
        ++ev.images;
    }
    if (ev.images == 0) return inputError(QStringLiteral("no held-out image to evaluate"));
    ev.accuracy = double(correct) / ev.images;
    ev.rolloutHitRate = double(rolloutHits) / ev.images;
    for (size_t i = 0; i < headHits.size(); ++i) {
        ev.headHitRate.push_back(double(headHits[i]) / ev.images);
        if (ev.headHitRate.back() > ev.bestHeadHitRate) {
            ev.bestHeadHitRate = ev.headHitRate.back();
            ev.bestLayer = int(i) / c.heads;
            ev.bestHead = int(i) % c.heads;
        }
    }
    return ev;
}

}  // namespace attnscope::core::train
