#include "session/trace_result.h"

#include "tokenize/token_labels.h"
#include "trace/trace_writer.h"

#include <algorithm>

namespace attnscope::ui {

QStringList traceTokenLabels(const core::TraceInfo& info) {
    QStringList labels;
    const core::Encoding e = info.encoding();
    for (int i = 0; i < e.size(); ++i) {
        QString label;
        if (!info.offsets.empty() && !e.special[size_t(i)])
            label = core::codePointSlice(info.text, e.offsets[size_t(i)].first, e.offsets[size_t(i)].second).trimmed();
        if (label.isEmpty()) {
            label = e.tokens[i];
            if (!e.special[size_t(i)] || info.offsets.empty()) {
                if (label.startsWith(QStringLiteral("##"))) label.remove(0, 2);
                else if (label.startsWith(QChar(0x0120)) || label.startsWith(QChar(0x2581))) label.remove(0, 1);
            }
            if (label.trimmed().isEmpty()) label = label.contains(QLatin1Char('\n')) || label.contains(QChar(0x010A)) ? QStringLiteral("\\n") : QStringLiteral("␣");
        }
        labels << label;
    }
    return labels;
}

core::TracePicture tracePicture(const QImage& image) {
    core::TracePicture p;
    if (image.isNull()) return p;
    QImage rgb = image.width() > kTracePictureSide || image.height() > kTracePictureSide
                     ? image.scaled(kTracePictureSide, kTracePictureSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                     : image;
    rgb = rgb.convertToFormat(QImage::Format_RGB888);
    p.width = rgb.width();
    p.height = rgb.height();
    p.rgb.resize(size_t(p.width) * size_t(p.height) * 3);
    for (int y = 0; y < p.height; ++y)  // scan lines are padded to 4 bytes
        std::copy_n(rgb.constScanLine(y), size_t(p.width) * 3, p.rgb.begin() + int64_t(y) * p.width * 3);
    return p;
}

QImage pictureImage(const core::TracePicture& picture) {
    if (picture.empty()) return QImage();
    QImage rgb(picture.width, picture.height, QImage::Format_RGB888);
    for (int y = 0; y < picture.height; ++y)
        std::copy_n(picture.rgb.begin() + int64_t(y) * picture.width * 3, size_t(picture.width) * 3, rgb.scanLine(y));
    return rgb.convertToFormat(QImage::Format_RGB32);
}

AnalysisResultPtr traceAnalysisResult(std::shared_ptr<const core::OpenedTrace> opened, quint64 generation, double milliseconds) {
    auto result = std::make_shared<AnalysisResult>();
    result->milliseconds = milliseconds;
    result->generation = generation;
    result->text = opened->info.text;
    result->encoding = opened->info.encoding();
    result->labels = traceTokenLabels(opened->info);
    result->trace = opened->trace;
    result->causal = opened->info.causal;
    result->fullTokens = result->encoding.size();
    if (!opened->picture.empty() && opened->info.imageGrid > 0) {
        result->picture = std::make_shared<const QImage>(pictureImage(opened->picture));
        result->grid = opened->info.imageGrid;
    }
    result->traceFile = std::move(opened);
    return result;
}

core::Status saveResultAsTrace(const QString& path, const AnalysisResult& result, const QString& model, const QString& modelType) {
    if (!result.trace) return core::inputError(QStringLiteral("nothing to save yet"));
    if (result.valueWeighted)
        return core::inputError(QStringLiteral("the views show value-weighted norms: switch Weights back to attention weights to save the trace"));
    if (!result.ablated.empty()) return core::inputError(QStringLiteral("heads are switched off: switch them back on to save the trace"));
    const core::AttentionTrace& t = *result.trace;
    core::TraceInfo info = result.fromFile() ? result.traceFile->info : core::TraceInfo();
    if (!result.fromFile()) {
        info.model = model;
        info.modelType = modelType;
        info.text = result.isImage() ? QString() : result.text;
        info.setTokens(result.encoding);
        if (result.isImage()) {
            info.offsets.clear();
            info.imageGrid = result.grid;
        }
    }
    core::TraceWriteOptions options;
    options.qk = t.hasQk();
    options.v = t.hasV();
    options.matrices = !options.qk || t.tokens() <= kMatricesUpTo;
    if (result.fromFile()) options.hidden = t.hasHidden();
    if (result.isImage()) options.picture = tracePicture(*result.picture);
    return core::saveTraceFile(path, t, info, options);
}

QString viewUnavailable(const AnalysisResult& result, const QString& view) {
    if (!result.fromFile()) return QString();
    const core::AttentionTrace& t = *result.trace;
    if (view == QLatin1String("qkv"))
        return QStringLiteral("The Q/K/V steps need each layer's input, q, k, v and output; a trace file holds the attention "
                              "(and at most q, k and v). Open the model itself to step through them.");
    if (view == QLatin1String("lens"))
        return QStringLiteral("The logit lens reads the hidden states through the model's own head: open the model itself for it.");
    if (view == QLatin1String("qkspace") && !t.hasQk())
        return QStringLiteral("The query-key space needs q and k; this trace holds %1.").arg(result.traceFile->contents);
    if (view == QLatin1String("image") && !result.isImage())
        return result.traceFile->info.imageGrid > 0 ? QStringLiteral("This trace holds no picture (its 'image' tensor) to draw the patches on.")
                                                    : QStringLiteral("This trace is of a text, not a picture.");
    return QString();
}

}  // namespace attnscope::ui
