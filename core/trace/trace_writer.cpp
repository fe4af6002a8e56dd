#include "trace/trace_writer.h"

#include "io/half_float.h"
#include "io/safetensors_writer.h"
#include "util/memory_budget.h"

#include <algorithm>
#include <deque>
#include <functional>

namespace attnscope::core {
namespace {

// One tensor's values in the stored type, kept alive until the file is written.
struct Stored {
    std::vector<float> f32;
    std::vector<uint16_t> f16;
};

NamedTensor store(std::deque<Stored>& keep, const QString& name, Shape shape, std::vector<float> values, DType dtype) {
    keep.emplace_back();
    Stored& s = keep.back();
    NamedTensor t{name, std::move(shape), nullptr, nullptr, dtype};
    if (dtype == DType::F32) {
        s.f32 = std::move(values);
        t.data = s.f32.data();
    } else {
        s.f16.resize(values.size());
        std::transform(values.begin(), values.end(), s.f16.begin(), [dtype](float v) { return dtype == DType::BF16 ? floatToBf16(v) : floatToHalf(v); });
        t.data16 = s.f16.data();
    }
    return t;
}

}  // namespace

Status saveTraceFile(const QString& path, const AttentionTrace& t, TraceInfo info, const TraceWriteOptions& o) {
    const int n = t.tokens(), d = t.headDim(), h = t.heads(), g = t.kvHeads();
    std::vector<int> chosen = o.layers;
    if (chosen.empty())
        for (int l = 0; l < t.layers(); ++l) chosen.push_back(l);
    for (int l : chosen)
        if (l < 0 || l >= t.layers()) return internalError(QStringLiteral("saveTraceFile: no layer %1").arg(l));
    const int L = int(chosen.size());
    if (o.dtype != DType::F32 && o.dtype != DType::F16 && o.dtype != DType::BF16)
        return inputError(QStringLiteral("a trace is written as F32, F16 or BF16, not %1").arg(dtypeName(o.dtype)));
    if (!o.matrices && !o.qk) return inputError(QStringLiteral("a trace holds the attention matrices, or q and k, or both"));
    if (o.qk && !t.hasQk()) return inputError(QStringLiteral("this trace holds no q and k to write (write its matrices)"));
    if (o.v && !t.hasV()) return inputError(QStringLiteral("this trace holds no v to write"));
    if (o.hidden && !t.hasHidden()) return inputError(QStringLiteral("this trace holds no hidden states to write"));
    if (o.hidden && L != t.layers()) return inputError(QStringLiteral("hidden states go with every layer: write them without a choice of layers"));
    if (info.tokensCount() != n) return internalError(QStringLiteral("saveTraceFile: %1 token strings for %2 tokens").arg(info.tokensCount()).arg(n));
    const uint64_t floats = uint64_t(L) * ((o.matrices ? uint64_t(h) * n * n : 0) + (o.qk ? uint64_t(h + g) * n * d : 0) + (o.v ? uint64_t(g) * n * d : 0)) +
                            (o.hidden ? uint64_t(t.layers() + 1) * n * t.hidden() : 0);
    if (Status s = checkMemory(floats * sizeof(float), QStringLiteral("writing a trace file")); !s) return s;

    info.version = TraceInfo::kVersion;
    info.numLayers = t.modelLayers();
    info.heads = h;
    info.kvHeads = g;
    info.headDim = d;
    info.hiddenSize = o.hidden ? t.hidden() : 0;
    info.causal = t.shape().causal;
    info.scale = t.shape().scale();
    info.layers.clear();
    info.windows.clear();
    bool windows = false;
    for (int l : chosen) {
        info.layers.push_back(t.layerNumber(l));
        info.windows.push_back(t.window(l));
        windows = windows || t.window(l) > 0;
    }
    if (!windows) info.windows.clear();

    std::deque<Stored> keep;
    std::vector<NamedTensor> tensors;
    // (count, n, d) from rows: head c's row i is row(c, i).
    auto perHead = [&](int count, const std::function<const float*(int, int)>& row) {
        std::vector<float> out(size_t(count) * size_t(n) * size_t(d));
        for (int c = 0; c < count; ++c)
            for (int i = 0; i < n; ++i) std::copy_n(row(c, i), d, out.begin() + (int64_t(c) * n + i) * d);
        return out;
    };
    const int group = std::max(1, h / g);
    for (int l : chosen) {
        const int number = t.layerNumber(l);
        if (o.matrices) {
            std::vector<float> all(size_t(h) * size_t(n) * size_t(n));  // (h, n, n)
            for (int j = 0; j < h; ++j) {
                const HeadMatrices m = t.head(l, j);
                std::copy_n(m.probs(), int64_t(n) * n, all.begin() + int64_t(j) * n * n);
            }
            tensors.push_back(store(keep, QStringLiteral("attentions.%1").arg(number), {h, n, n}, std::move(all), o.dtype));
        }
        if (o.qk) {
            tensors.push_back(store(keep, QStringLiteral("q.%1").arg(number), {h, n, d}, perHead(h, [&](int c, int i) { return t.qRow(l, c, i); }), o.dtype));
            tensors.push_back(store(keep, QStringLiteral("k.%1").arg(number), {g, n, d}, perHead(g, [&](int c, int i) { return t.kRow(l, c * group, i); }), o.dtype));
        }
        if (o.v)
            tensors.push_back(store(keep, QStringLiteral("v.%1").arg(number), {g, n, d}, perHead(g, [&](int c, int i) { return t.vRow(l, c * group, i); }), o.dtype));
    }
    if (o.hidden)
        for (int i = 0; i <= t.layers(); ++i) {
            const float* x = t.hiddenState(i);
            tensors.push_back(store(keep, QStringLiteral("hidden_states.%1").arg(i), {n, t.hidden()}, std::vector<float>(x, x + int64_t(n) * t.hidden()), o.dtype));
        }
    if (!o.picture.empty()) {
        const TracePicture& p = o.picture;
        if (info.imageGrid <= 0 || p.width < 1 || p.height < 1 || p.width > TracePicture::kMaxSide || p.height > TracePicture::kMaxSide ||
            p.rgb.size() != size_t(p.width) * size_t(p.height) * 3)
            return inputError(QStringLiteral("a trace's picture goes with a vision run's patch grid and is up to %1 pixels a side").arg(TracePicture::kMaxSide));
        NamedTensor image{QStringLiteral("image"), {p.height, p.width, 3}, nullptr, nullptr, DType::U8};
        image.data8 = p.rgb.data();
        tensors.push_back(image);
    }
    return writeSafetensors(path, tensors, info.toMetadata());
}

}  // namespace attnscope::core
