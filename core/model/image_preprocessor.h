#pragma once

#include "model/image_tensor.h"
#include "model/model_config.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>

namespace attnscope::core {

// preprocessor_config.json (Hugging Face image processors), with the model's image size as default.
struct PreprocessorConfig {
    bool doResize = true;
    int height = 224, width = 224;
    int resample = 2;  // PIL codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming
    bool doCenterCrop = false;
    int cropHeight = 0, cropWidth = 0;
    bool doRescale = true;
    float rescaleFactor = 1.0f / 255.0f;
    bool doNormalize = true;
    float mean[3] = {0.5f, 0.5f, 0.5f};
    float std[3] = {0.5f, 0.5f, 0.5f};
};

Result<PreprocessorConfig> loadPreprocessorConfig(const QString& folder, const ModelConfig& model);
// The parsed preprocessor_config.json object, checked against the model.
Result<PreprocessorConfig> parsePreprocessorConfig(const QJsonObject& json, const ModelConfig& model);

// Resizes an 8-bit-valued RGB image (values 0..255) the way PIL does for "RGB" images: separable
// filters with support scaled when shrinking (antialiasing), fixed-point weights, and rounding to
// 8 bits after each pass, so the result matches the Python processors' input.
ImageTensor resizeLikePil(const ImageTensor& rgb, int width, int height, int resample);

// rgb (3, H, W) with values 0..255 -> the model's input (3, S, S): resize, crop, rescale, normalise.
ImageTensor preprocessImage(const ImageTensor& rgb, const PreprocessorConfig& config);

}  // namespace attnscope::core
