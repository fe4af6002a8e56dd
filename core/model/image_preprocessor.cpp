#include "model/image_preprocessor.h"

#include "util/json_file.h"
#include "util/memory_budget.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <functional>

namespace attnscope::core {
namespace {

struct Filter {
    double support;
    std::function<double(double)> f;
};

double sinc(double x) {
    if (x == 0) return 1;
    x *= M_PI;
    return std::sin(x) / x;
}

Filter filterFor(int resample) {
    switch (resample) {
        case 1: return {3.0, [](double x) { return (x > -3 && x < 3) ? sinc(x) * sinc(x / 3) : 0.0; }};
        case 3: return {2.0, [](double x) {  // PIL's bicubic, a = -0.5
                    const double a = -0.5;
                    x = std::abs(x);
                    if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
                    if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
                    return 0.0;
                }};
        case 4: return {0.5, [](double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }};
        case 5: return {1.0, [](double x) {  // PIL's hamming: a windowed sinc, its constants float literals
                    x = std::abs(x);
                    if (x == 0.0) return 1.0;
                    if (x >= 1.0) return 0.0;
                    x *= M_PI;
                    return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));
                }};
        default: return {1.0, [](double x) { x = std::abs(x); return x < 1 ? 1 - x : 0.0; }};  // bilinear
    }
}

// PIL's precompute_coeffs + normalize_coeffs_8bpc for one axis.
struct Coeffs {
    std::vector<int> bounds;  // (xmin, count) per output pixel
    std::vector<int> k;       // fixed-point weights, `stride` per output pixel
    int stride = 0;
};

constexpr int kPrecisionBits = 32 - 8 - 2;

Coeffs coefficients(int in, int out, const Filter& filter) {
    const double scale = double(in) / out, filterScale = std::max(scale, 1.0);
    const double support = filter.support * filterScale;
    Coeffs c;
    c.stride = int(std::ceil(support)) * 2 + 1;
    c.k.assign(size_t(out) * size_t(c.stride), 0);
    for (int xx = 0; xx < out; ++xx) {
        const double center = (xx + 0.5) * scale, ss = 1.0 / filterScale;
        int xmin = int(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = int(center + support + 0.5);
        if (xmax > in) xmax = in;
        xmax -= xmin;
        std::vector<double> w(static_cast<size_t>(xmax));
        double total = 0;
        for (int x = 0; x < xmax; ++x) total += (w[size_t(x)] = filter.f((x + xmin - center + 0.5) * ss));
        for (int x = 0; x < xmax; ++x) {
            const double v = total != 0 ? w[size_t(x)] / total : 0;
            c.k[size_t(xx) * size_t(c.stride) + size_t(x)] = int(v < 0 ? std::trunc(-0.5 + v * (1 << kPrecisionBits))
                                                                    : std::trunc(0.5 + v * (1 << kPrecisionBits)));
        }
        c.bounds.push_back(xmin);
        c.bounds.push_back(xmax);
    }
    return c;
}

int clip8(int64_t v) { return int(std::clamp<int64_t>(v >> kPrecisionBits, 0, 255)); }

}  // namespace

ImageTensor resizeLikePil(const ImageTensor& in, int width, int height, int resample) {
    ImageTensor cur = in;
    if (resample == 0) {
        // Nearest, as PIL's ImagingScaleAffine: the sample position starts at scale / 2 and is
        // advanced by adding the scale (a double) once per pixel, so it carries the same rounding;
        // a position that lands outside the source is filled with 0.
        if (width == in.width && height == in.height) return in;
        auto table = [](int from, int to) {
            std::vector<int> index(static_cast<size_t>(to));
            const double scale = double(from) / to;
            double pos = scale * 0.5;
            for (int i = 0; i < to; ++i, pos += scale) {
                const int v = pos < 0.0 ? -1 : int(pos);
                index[size_t(i)] = v < from ? v : -1;
            }
            return index;
        };
        const std::vector<int> xs = table(in.width, width), ys = table(in.height, height);
        ImageTensor out{3, height, width, std::vector<float>(size_t(3) * size_t(width) * size_t(height), 0.0f)};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    if (ys[size_t(y)] >= 0 && xs[size_t(x)] >= 0) out.at(c, y, x) = in.at(c, ys[size_t(y)], xs[size_t(x)]);
        return out;
    }
    const Filter filter = filterFor(resample);
    auto round8 = [](float v) { return std::clamp(std::lround(v), 0L, 255L); };
    if (width != cur.width) {  // horizontal pass
        const Coeffs k = coefficients(cur.width, width, filter);
        ImageTensor out{3, cur.height, width, std::vector<float>(size_t(3) * size_t(cur.height) * size_t(width))};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < cur.height; ++y)
                for (int x = 0; x < width; ++x) {
                    int64_t ss = int64_t(1) << (kPrecisionBits - 1);
                    const int xmin = k.bounds[size_t(2 * x)], count = k.bounds[size_t(2 * x + 1)];
                    for (int i = 0; i < count; ++i) ss += int64_t(round8(cur.at(c, y, xmin + i))) * k.k[size_t(x) * size_t(k.stride) + size_t(i)];
                    out.at(c, y, x) = float(clip8(ss));
                }
        cur = std::move(out);
    }
    if (height != cur.height) {  // vertical pass
        const Coeffs k = coefficients(cur.height, height, filter);
        ImageTensor out{3, height, cur.width, std::vector<float>(size_t(3) * size_t(height) * size_t(cur.width))};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < height; ++y) {
                const int ymin = k.bounds[size_t(2 * y)], count = k.bounds[size_t(2 * y + 1)];
                for (int x = 0; x < cur.width; ++x) {
                    int64_t ss = int64_t(1) << (kPrecisionBits - 1);
                    for (int i = 0; i < count; ++i) ss += int64_t(round8(cur.at(c, ymin + i, x))) * k.k[size_t(y) * size_t(k.stride) + size_t(i)];
                    out.at(c, y, x) = float(clip8(ss));
                }
            }
        cur = std::move(out);
    }
    return cur;
}

ImageTensor preprocessImage(const ImageTensor& rgb, const PreprocessorConfig& c) {
    ImageTensor img = c.doResize ? resizeLikePil(rgb, c.width, c.height, c.resample) : rgb;
    if (c.doCenterCrop && c.cropWidth > 0 && c.cropHeight > 0 && (c.cropWidth < img.width || c.cropHeight < img.height)) {
        const int top = std::max(0, (img.height - c.cropHeight) / 2), left = std::max(0, (img.width - c.cropWidth) / 2);
        ImageTensor crop{3, std::min(c.cropHeight, img.height), std::min(c.cropWidth, img.width), {}};
        crop.data.resize(size_t(3) * size_t(crop.height) * size_t(crop.width));
        for (int ch = 0; ch < 3; ++ch)
            for (int y = 0; y < crop.height; ++y)
                for (int x = 0; x < crop.width; ++x) crop.at(ch, y, x) = img.at(ch, top + y, left + x);
        img = std::move(crop);
    }
    for (int ch = 0; ch < 3; ++ch)
        for (int y = 0; y < img.height; ++y)
            for (int x = 0; x < img.width; ++x) {
                float v = img.at(ch, y, x);
                if (c.doRescale) v *= c.rescaleFactor;
                if (c.doNormalize) v = (v - c.mean[ch]) / c.std[ch];
                img.at(ch, y, x) = v;
            }
    return img;
}

Result<PreprocessorConfig> loadPreprocessorConfig(const QString& folder, const ModelConfig& model) {
    const QString path = QDir(folder).filePath(QStringLiteral("preprocessor_config.json"));
    if (!QFileInfo::exists(path) && !QFileInfo(path).isSymLink()) {  // the model's size, mean = std = 0.5 (google/vit-base)
        PreprocessorConfig c;
        c.height = c.width = model.imageSize;
        return c;
    }
    auto json = readJsonObject(path);
    if (!json) return json.error();
    return parsePreprocessorConfig(*json, model);
}

Result<PreprocessorConfig> parsePreprocessorConfig(const QJsonObject& o, const ModelConfig& model) {
    PreprocessorConfig c;
    c.height = c.width = model.imageSize;
    c.doResize = o.value(QStringLiteral("do_resize")).toBool(true);
    const QJsonValue size = o.value(QStringLiteral("size"));
    if (size.isDouble()) c.height = c.width = size.toInt();
    else if (size.isObject()) {
        c.height = size.toObject().value(QStringLiteral("height")).toInt(size.toObject().value(QStringLiteral("shortest_edge")).toInt(c.height));
        c.width = size.toObject().value(QStringLiteral("width")).toInt(size.toObject().value(QStringLiteral("shortest_edge")).toInt(c.width));
    }
    c.resample = o.value(QStringLiteral("resample")).toInt(2);
    if (c.resample < 0 || c.resample > 5 || !(o.value(QStringLiteral("resample")).isUndefined() || o.value(QStringLiteral("resample")).isDouble()))
        return inputError(QStringLiteral("preprocessor_config.json: resample %1 is not a PIL filter (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)")
                              .arg(o.value(QStringLiteral("resample")).toVariant().toString()));
    c.doCenterCrop = o.value(QStringLiteral("do_center_crop")).toBool(false);
    const QJsonValue crop = o.value(QStringLiteral("crop_size"));
    c.cropHeight = crop.isObject() ? crop.toObject().value(QStringLiteral("height")).toInt() : crop.toInt();
    c.cropWidth = crop.isObject() ? crop.toObject().value(QStringLiteral("width")).toInt() : crop.toInt();
    c.doRescale = o.value(QStringLiteral("do_rescale")).toBool(true);
    c.rescaleFactor = float(o.value(QStringLiteral("rescale_factor")).toDouble(1.0 / 255.0));
    if (!std::isfinite(c.rescaleFactor)) return inputError(QStringLiteral("preprocessor_config.json: rescale_factor is not a finite number"));
    c.doNormalize = o.value(QStringLiteral("do_normalize")).toBool(true);
    const QJsonArray mean = o.value(QStringLiteral("image_mean")).toArray(), sd = o.value(QStringLiteral("image_std")).toArray();
    for (int i = 0; i < 3; ++i) {
        if (mean.size() == 3) c.mean[i] = float(mean[i].toDouble());
        if (sd.size() == 3) c.std[i] = float(sd[i].toDouble(1.0));
        if (c.std[i] == 0) return inputError(QStringLiteral("preprocessor_config.json: image_std has a zero"));
        if (!std::isfinite(c.mean[i]) || !std::isfinite(c.std[i]))
            return inputError(QStringLiteral("preprocessor_config.json: image_mean and image_std must be finite numbers"));
    }
    if (c.height <= 0 || c.width <= 0) return inputError(QStringLiteral("preprocessor_config.json: size must be positive"));
    // Resizing far beyond the model's input only to crop it again is no real processor's setting;
    // bound it (a hostile config could ask for 100000 x 100000 floats before the crop).
    const int largest = std::min(kMaxImageSide, std::max(2 * model.imageSize, model.imageSize + 512));
    if (c.doResize && (c.height > largest || c.width > largest))
        return inputError(QStringLiteral("preprocessor_config.json: resizing to %1 x %2 is more than AttnScope allows for a %3-pixel model (%4 at most)")
                              .arg(c.width).arg(c.height).arg(model.imageSize).arg(largest));
    if (Status s = checkMemory(saturatingProduct({3 * sizeof(float) * 3, uint64_t(c.width), uint64_t(c.height)}),
                               QStringLiteral("resizing the image to %1 x %2").arg(c.width).arg(c.height));
        !s)
        return s.error();
    const int finalH = c.doCenterCrop && c.cropHeight > 0 ? c.cropHeight : c.height;
    const int finalW = c.doCenterCrop && c.cropWidth > 0 ? c.cropWidth : c.width;
    if (finalH != model.imageSize || finalW != model.imageSize)
        return inputError(QStringLiteral("preprocessor_config.json makes %1 x %2 images but the model takes %3 x %3")
                              .arg(finalW).arg(finalH).arg(model.imageSize));
    return c;
}

}  // namespace attnscope::core
