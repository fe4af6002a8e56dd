#include "trace/trace_file.h"

#include "kernels/kernels.h"
#include "kernels/parallel_for.h"
#include "trace/head_summary.h"
#include "util/memory_budget.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace attnscope::core {

float rowSumTolerance(DType dtype, int n) {
    const float base = dtype == DType::BF16 ? 2e-2f : dtype == DType::F16 ? 5e-3f : 1e-3f;
    return base * std::max(1.0f, float(n) / 4096.0f);
}

// Builds the AttentionTrace of a file (a friend: it sets what a recorder would).
class TraceFileReader {
public:
    static Result<OpenedTrace> read(const QString& path, const std::atomic<bool>* cancel, const std::function<void(int, int)>& progress);

private:
    static Status checkTensors(const TraceStore& store, const TraceInfo& info, bool* matrices, bool* qk, bool* v, bool* scores, int* hidden);
    static Status checkHeads(AttentionTrace& t, const TraceInfo& info, const std::atomic<bool>* cancel, const std::function<void(int, int)>& progress);
};

namespace {

const char* const kKindNames[TraceStore::kKinds] = {"attentions", "scores", "q", "k", "v"};

QString dims(const Shape& s) { return shapeToString(s); }

bool finite(const float* x, int64_t count) {
    for (int64_t i = 0; i < count; ++i)
        if (!std::isfinite(x[i])) return false;
    return true;
}

}  // namespace

Status TraceFileReader::checkTensors(const TraceStore& store, const TraceInfo& info, bool* matrices, bool* qk, bool* v, bool* scores, int* hidden) {
    const int n = info.tokensCount();
    static const QRegularExpression pattern(QStringLiteral("^(attentions|scores|q|k|v|hidden_states)\\.(\\d{1,6})$"));
    for (const QString& name : store.names()) {
        const auto m = pattern.match(name);
        if (!m.hasMatch()) continue;  // other tensors are the writer's own business
        const int index = m.captured(2).toInt();
        const TensorInfo& t = *store.find(name);
        if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
            return inputError(QStringLiteral("trace tensor '%1' is %2; traces hold F32, F16 or BF16").arg(name, dtypeName(t.dtype)));
        if (m.captured(1) == QLatin1String("hidden_states")) {
            if (index > info.numLayers)
                return inputError(QStringLiteral("trace tensor '%1': the model has %2 layers, so hidden states 0 to %2").arg(name).arg(info.numLayers));
            if (t.shape.size() != 2 || t.shape[0] != n || (info.hiddenSize > 0 && t.shape[1] != info.hiddenSize) || t.shape[1] < 1)
                return inputError(QStringLiteral("trace tensor '%1' is %2, not [%3 tokens, hidden_size%4]")
                                      .arg(name, dims(t.shape)).arg(n).arg(info.hiddenSize > 0 ? QStringLiteral(" %1").arg(info.hiddenSize) : QString()));
            continue;
        }
        if (!std::binary_search(info.layers.begin(), info.layers.end(), index))
            return inputError(QStringLiteral("trace tensor '%1' is for layer %2, which the metadata's 'layers' does not list").arg(name).arg(index));
        const QString kind = m.captured(1);
        const bool kv = kind == QLatin1String("k") || kind == QLatin1String("v");
        const bool square = kind == QLatin1String("attentions") || kind == QLatin1String("scores");
        const Shape want{kv ? info.kvHeads : info.heads, n, square ? n : info.headDim};
        if (t.shape != want) {
            QString why;
            if (t.shape.size() == 3 && (t.shape[1] != n || (square && t.shape[2] != n)))
                why = QStringLiteral(": %1 tokens, but the metadata's 'tokens' lists %2").arg(t.shape[1]).arg(n);
            return inputError(QStringLiteral("trace tensor '%1' is %2, not %3 ([%4, tokens, %5])%6")
                                  .arg(name, dims(t.shape), dims(want), kv ? QStringLiteral("num_kv_heads") : QStringLiteral("num_heads"),
                                       square ? QStringLiteral("tokens") : QStringLiteral("head_dim"), why));
        }
    }
    auto has = [&](int kind, int layer) { return store.find(QStringLiteral("%1.%2").arg(QLatin1String(kKindNames[kind])).arg(layer)) != nullptr; };
    const int first = info.layers.front();
    *matrices = has(TraceStore::Attentions, first);
    *qk = has(TraceStore::Q, first) && has(TraceStore::K, first);
    *v = has(TraceStore::V, first);
    *scores = has(TraceStore::Scores, first);
    for (int l : info.layers) {
        if (!has(TraceStore::Attentions, l) && !(has(TraceStore::Q, l) && has(TraceStore::K, l)))
            return inputError(QStringLiteral("trace layer %1 has neither attentions.%1 nor both q.%1 and k.%1").arg(l));
        for (int kind = 0; kind < TraceStore::kKinds; ++kind) {
            const bool want = kind == TraceStore::Attentions ? *matrices : kind == TraceStore::Scores ? *scores : kind == TraceStore::V ? *v : *qk;
            if (has(kind, l) != want)
                return inputError(QStringLiteral("trace layer %1 %2 %3.%1 but layer %4 %5: every layer of a trace holds the same tensors")
                                      .arg(l).arg(want ? QStringLiteral("lacks") : QStringLiteral("has"), QLatin1String(kKindNames[kind]))
                                      .arg(first).arg(want ? QStringLiteral("has it") : QStringLiteral("does not")));
        }
    }
    *hidden = 0;
    if (store.find(QStringLiteral("hidden_states.0"))) {
        for (int i = 0; i <= info.numLayers; ++i)
            if (!store.find(QStringLiteral("hidden_states.%1").arg(i)))
                return inputError(QStringLiteral("trace has hidden_states.0 but not hidden_states.%1 (a trace holds all %2 or none)").arg(i).arg(info.numLayers + 1));
        *hidden = info.numLayers + 1;
    }
    return {};
}

Status TraceFileReader::checkHeads(AttentionTrace& t, const TraceInfo& info, const std::atomic<bool>* cancel,
                                   const std::function<void(int, int)>& progress) {
    const TraceStore& store = *t.m_store;
    const int n = t.tokens(), d = t.headDim(), h = t.heads();
    const bool matrices = store.has(TraceStore::Attentions, 0), qk = store.has(TraceStore::Q, 0);
    const int parts = std::max(1, std::min(kernels::threads(), h));
    const uint64_t perPart = saturatingProduct({uint64_t(n), uint64_t(n), 3, sizeof(float)}) + saturatingProduct({uint64_t(n), uint64_t(d), 3, sizeof(float)});
    if (Status s = checkMemory(perPart * uint64_t(parts), QStringLiteral("checking a trace of %1 tokens").arg(n)); !s) return s;
    std::vector<std::vector<float>> scratch(static_cast<size_t>(parts));
    std::mutex errorMutex;
    QString error;
    for (int layer = 0; layer < t.layers(); ++layer) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        const int number = t.layerNumber(layer);
        kernels::parallelFor(parts, [&](int part) {
            std::vector<float>& buf = scratch[size_t(part)];
            buf.resize(size_t(n) * size_t(n) * 3 + size_t(n) * size_t(d) * 3);
            float* raw = buf.data();
            float* probs = raw + size_t(n) * size_t(n);
            float* stored = probs + size_t(n) * size_t(n);
            float* q = stored + size_t(n) * size_t(n);
            float* k = q + size_t(n) * size_t(d);
            float* v = k + size_t(n) * size_t(d);
            auto fail = [&](const QString& message) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (error.isEmpty()) error = message;
            };
            for (int head = part; head < h; head += parts) {
                if (qk) {
                    store.read(TraceStore::Q, layer, head, q);
                    store.read(TraceStore::K, layer, t.kvHeadOf(head), k);
                    if (!finite(q, int64_t(n) * d) || !finite(k, int64_t(n) * d))
                        return fail(QStringLiteral("trace q.%1 or k.%1, head %2, holds a value that is not a finite number").arg(number).arg(head));
                    AttentionTrace::computeHead(t.m_shape, t.window(layer), q, d, k, d, raw, probs, false);
                }
                if (store.has(TraceStore::V, layer) && head % std::max(1, h / t.kvHeads()) == 0) {
                    store.read(TraceStore::V, layer, t.kvHeadOf(head), v);
                    if (!finite(v, int64_t(n) * d)) return fail(QStringLiteral("trace v.%1, key/value head %2, holds a value that is not a finite number").arg(number).arg(t.kvHeadOf(head)));
                }
                if (matrices) {
                    store.read(TraceStore::Attentions, layer, head, stored);
                    const DType type = store.dtype(TraceStore::Attentions, layer);
                    const float tol = rowSumTolerance(type, n);
                    for (int a = 0; a < n; ++a) {
                        const float* row = stored + int64_t(a) * n;
                        double sum = 0;
                        for (int b = 0; b < n; ++b) {
                            if (!std::isfinite(row[b]) || row[b] < -tol)
                                return fail(QStringLiteral("trace attentions.%1, head %2, row %3 holds %4 at column %5: attention weights are finite and not negative")
                                                .arg(number).arg(head).arg(a).arg(double(row[b])).arg(b));
                            if (info.causal && b > a && std::abs(row[b]) > tol)
                                return fail(QStringLiteral("trace attentions.%1, head %2: token %3 gives %4 to the later token %5, but the metadata says the model is causal")
                                                .arg(number).arg(head).arg(a).arg(double(row[b])).arg(b));
                            sum += row[b];
                        }
                        if (std::abs(sum - 1.0) > tol)
                            return fail(QStringLiteral("trace attentions.%1, head %2, row %3 sums to %4, not 1 (each row of attention weights is a softmax)")
                                            .arg(number).arg(head).arg(a).arg(sum, 0, 'g', 6));
                    }
                    if (qk) {  // both: the matrices must be what q and k give
                        const bool wide = type == DType::F32 && store.dtype(TraceStore::Q, layer) == DType::F32;
                        const float limit = wide ? 0.02f : 0.2f;
                        float worst = 0;
                        int at = 0;
                        for (int64_t i = 0; i < int64_t(n) * n; ++i)
                            if (std::abs(probs[i] - stored[i]) > worst) worst = std::abs(probs[i] - stored[i]), at = int(i);
                        if (worst > limit)
                            return fail(QStringLiteral("trace layer %1, head %2: the weights q.%1 and k.%1 give differ from attentions.%1 by %3 at row %4 "
                                                       "(check the metadata's 'scale', 'causal' and 'windows')")
                                            .arg(number).arg(head).arg(double(worst), 0, 'g', 3).arg(at / n));
                    }
                    t.m_sinkShare[size_t(layer * h + head)] = meanFirstKeyWeight(stored, n);
                } else {
                    if (!finite(probs, int64_t(n) * n))
                        return fail(QStringLiteral("trace layer %1, head %2: q and k give weights that are not finite numbers").arg(number).arg(head));
                    t.summarize(layer, head, raw, probs);
                }
            }
        });
        if (!error.isEmpty()) return inputError(error);
        if (progress) progress(layer + 1, t.layers());
    }
    return {};
}

Result<OpenedTrace> TraceFileReader::read(const QString& path, const std::atomic<bool>* cancel, const std::function<void(int, int)>& progress) {
    auto store = TraceStore::open(path);
    if (!store) return store.error();
    auto info = TraceInfo::fromMetadata((*store)->metadata());
    if (!info) return inputError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), info.message()));
    bool matrices = false, qk = false, v = false, scores = false;
    int hidden = 0;
    if (Status s = checkTensors(**store, *info, &matrices, &qk, &v, &scores, &hidden); !s)
        return inputError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), s.message()));
    if (!info->windows.empty() && !qk) info->windows.assign(info->windows.size(), 0);  // only a rebuild reads them
    int hiddenSize = info->hiddenSize;
    if (hidden > 0) hiddenSize = int((*store)->find(QStringLiteral("hidden_states.0"))->shape[1]);

    auto trace = std::make_shared<AttentionTrace>();
    AttentionTrace& t = *trace;
    ForwardShape& shape = t.m_shape;
    shape.tokens = info->tokensCount();
    shape.layers = int(info->layers.size());
    shape.heads = info->heads;
    shape.kvHeads = info->kvHeads;
    shape.headDim = info->headDim;
    shape.hidden = hiddenSize > 0 ? hiddenSize : info->heads * info->headDim;
    shape.causal = info->causal;
    shape.scoreScale = info->scoreScale();
    shape.multiplies = true;
    t.m_layers.resize(size_t(shape.layers));
    (*store)->bind(info->layers, hidden);
    t.m_store = *store;
    t.m_layerNumbers = info->layers;
    t.m_modelLayers = info->numLayers;
    t.m_windows = info->windows;
    t.m_rebuilt = !matrices;
    t.m_cache = std::make_shared<HeadCache>(TraceRecorder::kHeadCacheBytes);
    t.m_sinkShare.assign(size_t(shape.layers) * size_t(shape.heads), 0.0);
    if (t.m_rebuilt) {
        // Two thumbnails per head for the grid: at most 128 MB of them (an 80 x 64-head model gets
        // 56-pixel ones, which is more than its grid cells show).
        const double perHead = 128.0 * 1024 * 1024 / (double(shape.layers) * shape.heads * 2 * sizeof(float));
        t.m_thumbSize = std::max(8, std::min({shape.tokens, kThumbnailSize, int(std::sqrt(perHead))}));
        const uint64_t summaries = saturatingProduct({uint64_t(shape.layers), uint64_t(shape.heads),
                                                      uint64_t(2 * t.m_thumbSize * t.m_thumbSize + shape.tokens), sizeof(float)});
        if (Status s = checkMemory(summaries, QStringLiteral("the summaries of a trace of %1 heads").arg(shape.layers * shape.heads)); !s) return s.error();
        const size_t all = t.m_sinkShare.size() * size_t(t.m_thumbSize) * size_t(t.m_thumbSize);
        t.m_thumbs.assign(all, 0.0f);
        t.m_thumbsHidden.assign(all, 0.0f);
        t.m_logSumExp.assign(t.m_sinkShare.size() * size_t(shape.tokens), 0.0f);
    }
    if (Status s = checkHeads(t, *info, cancel, progress); !s) {
        if (s.message() == QLatin1String("cancelled")) return s.error();
        return inputError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), s.message()));
    }

    OpenedTrace opened;
    opened.path = path;
    if (const TensorInfo* image = (*store)->find(QStringLiteral("image"))) {
        const Shape& s = image->shape;
        if (image->dtype != DType::U8 || s.size() != 3 || s[2] != 3 || s[0] < 1 || s[1] < 1 || s[0] > TracePicture::kMaxSide ||
            s[1] > TracePicture::kMaxSide)
            return inputError(QStringLiteral("%1: trace tensor 'image' is %2 %3, not U8 [height, width, 3] of up to %4 pixels a side")
                                  .arg(QFileInfo(path).fileName(), dtypeName(image->dtype), dims(s)).arg(TracePicture::kMaxSide));
        if (info->imageGrid <= 0)
            return inputError(QStringLiteral("%1: trace tensor 'image' needs the metadata's 'image_grid' (the patches per side)").arg(QFileInfo(path).fileName()));
        const uchar* bytes = (*store)->bytes(QStringLiteral("image"));
        opened.picture.height = int(s[0]);
        opened.picture.width = int(s[1]);
        opened.picture.rgb.assign(bytes, bytes + s[0] * s[1] * 3);
    }
    const DType stored = (*store)->dtype(matrices ? TraceStore::Attentions : TraceStore::Q, 0);
    QStringList holds;
    if (matrices) holds << QStringLiteral("attention matrices (%1)").arg(dtypeName(stored));
    if (qk) holds << QStringLiteral("q and k (%1)").arg(dtypeName((*store)->dtype(TraceStore::Q, 0)));
    if (v) holds << QStringLiteral("v");
    if (scores) holds << QStringLiteral("scores");
    if (hidden > 0) holds << QStringLiteral("hidden states");
    opened.contents = holds.join(QStringLiteral(", "));
    if (!qk) opened.lacks << QStringLiteral("q and k (the Q/K/V steps and the query-key space)");
    if (!v) opened.lacks << QStringLiteral("v (the Q/K/V steps' values)");
    if (hidden == 0) opened.lacks << QStringLiteral("hidden states");
    if (int(info->layers.size()) < info->numLayers)
        opened.lacks << QStringLiteral("%1 of the model's %2 layers").arg(info->numLayers - int(info->layers.size())).arg(info->numLayers);
    opened.info = std::move(info).value();
    opened.info.hiddenSize = hiddenSize;
    opened.trace = std::move(trace);
    return opened;
}

Result<OpenedTrace> openTraceFile(const QString& path, const std::atomic<bool>* cancel, const std::function<void(int, int)>& progress) {
    return TraceFileReader::read(path, cancel, progress);
}

bool isTraceFile(const QString& path) {
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) return QFileInfo(path).fileName() != QLatin1String("config.json");
    auto file = SafetensorsFile::open(path);
    return file && (*file)->metadata().value(QStringLiteral("format")) == QLatin1String("attnscope-trace");
}

}  // namespace attnscope::core
