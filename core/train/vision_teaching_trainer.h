#pragma once

#include "model/image_preprocessor.h"
#include "model/model_loader.h"
#include "train/adamw.h"
#include "train/shapes_dataset.h"
#include "train/trainable_vit.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <optional>

namespace attnscope::core::train {

struct VisionTeachingOptions {
    uint32_t seed = 11;
    int steps = 1500;
    int batch = 32;
    float learningRate = 1.5e-3f;
    int warmup = 100;
    float weightDecay = 0.01f;
    int threads = 2;
    int heldOut = 500;
    TrainableVitConfig model;  // 64 x 64 images, 8 x 8 patches, 3 layers x 4 heads, H 64
};

struct VisionTeachingProgress {
    int step = 0;
    int steps = 0;
    double loss = 0;      // mean over the last report interval
    double accuracy = 0;  // training images, same interval
    double seconds = 0;
};

// How a ViT does on held-out shapes images, measured through the inference path (VitModel).
struct VisionTeachingEvaluation {
    int images = 0;
    double accuracy = 0;                 // classifier argmax is the coloured shape's colour
    int bestLayer = -1, bestHead = -1;   // the head whose [CLS] row peaks on the object most often
    double bestHeadHitRate = 0;
    std::vector<double> headHitRate;     // (L * H) row-major
    double rolloutHitRate = 0;           // rollout (mean fusion, no discard) peaks on the object
};

// Trains AttnScope's built-in image teaching model: a small ViT that names the colour of the one
// coloured shape among grey ones, exported as a standard Hugging Face ViT folder.
class VisionTeachingTrainer {
public:
    explicit VisionTeachingTrainer(const VisionTeachingOptions& options);

    const VisionTeachingOptions& options() const { return m_options; }
    const ShapesDataset& dataset() const { return m_dataset; }
    const TrainableVit& model() const { return *m_model; }
    // The model's input for a picture (3, S, S) with values 0..255: preprocessed patches.
    std::vector<float> input(const ImageTensor& rgb) const;

    // Runs the remaining steps; `progress` every `every` steps may return false to pause.
    int train(const std::function<bool(const VisionTeachingProgress&)>& progress = {}, int every = 50);
    int stepsDone() const { return m_step; }

    // config.json (with "attnscope_cls_head" when given), preprocessor_config.json, model.safetensors.
    Status exportFolder(const QString& folder, std::optional<std::pair<int, int>> clsHead = std::nullopt) const;
    Result<LoadedModel> snapshot() const;

private:

    VisionTeachingOptions m_options;
    ShapesDataset m_dataset;
    std::unique_ptr<TrainableVit> m_model;
    std::unique_ptr<AdamW> m_optimizer;
    std::vector<bool> m_decay;
    std::mt19937 m_rng;
    int m_step = 0;
    double m_seconds = 0;  // trained so far, over every call to train()
};

// The preprocessing the image teaching model ships with (64 x 64, bilinear, mean = std = 0.5).
PreprocessorConfig visionTeachingPreprocessor(int imageSize);

Result<VisionTeachingEvaluation> evaluateVisionTeachingModel(const LoadedModel& model, const PreprocessorConfig& preprocessor,
                                                             const std::vector<ShapesImage>& images);

}  // namespace attnscope::core::train
