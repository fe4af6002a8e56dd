#pragma once

#include "model/model_loader.h"
#include "session/analysis_result.h"
#include "session/image_input.h"

#include <atomic>

namespace attnscope::ui {

// Runs one image through a vision model: preprocessing from the model's preprocessor_config.json,
// the forward pass with its trace, and the classifier's top-k labels. Thread-safe.
core::Result<AnalysisResultPtr> runImageAnalysis(const core::LoadedModel& model, const DecodedImage& image, const QString& path,
                                                 int topK, quint64 generation = 0, const std::atomic<bool>* cancel = nullptr,
                                                 const AnalysisSettings& settings = {});

// The message for a text model given an image (or the reverse).
QString imageToTextModelError(const core::LoadedModel& model);
QString textToImageModelError(const core::LoadedModel& model);

}  // namespace attnscope::ui
