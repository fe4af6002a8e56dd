#include "analysis/rollout.h"

#include "kernels/kernels.h"

#include <algorithm>
#include <numeric>

namespace attnscope::core {
namespace {

// The layer's heads fused into f (n, n): their mean, or the elementwise max or min.
void fuse(const AttentionTrace& t, int layer, HeadFusion fusion, std::vector<float>& f) {
    const size_t nn = size_t(t.tokens()) * size_t(t.tokens());
    for (int h = 0; h < t.heads(); ++h) {
        const HeadMatrices head = t.head(layer, h);
        const float* a = head.probs();
        if (h == 0) std::copy(a, a + nn, f.begin());
        else if (fusion == HeadFusion::Mean)
            for (size_t i = 0; i < nn; ++i) f[i] += a[i];
        else if (fusion == HeadFusion::Max)
            for (size_t i = 0; i < nn; ++i) f[i] = std::max(f[i], a[i]);
        else
            for (size_t i = 0; i < nn; ++i) f[i] = std::min(f[i], a[i]);
    }
    if (fusion == HeadFusion::Mean) {
        const float inv = 1.0f / float(t.heads());
        for (float& v : f) v *= inv;
    }
}

// Zeroes the `drop` smallest entries of f (n, n) in (value, index) order, except that column 0
// ([CLS]) is never zeroed (its entries still count among the smallest): what a stable sort then
// zeroing the first `drop` would do, in linear time.
void discardSmallest(std::vector<float>& f, int n, int64_t drop) {
    if (drop <= 0) return;
    std::vector<float> values(f);
    std::nth_element(values.begin(), values.begin() + (drop - 1), values.end());
    const float threshold = values[size_t(drop - 1)];
    int64_t below = 0;
    for (float v : f) below += v < threshold;
    int64_t ties = drop - below;  // entries equal to the threshold zeroed, first ones first
    for (size_t i = 0; i < f.size(); ++i) {
        const bool zero = f[i] < threshold || (f[i] == threshold && ties-- > 0);
        if (zero && int64_t(i) % n != 0) f[i] = 0;
    }
}

}  // namespace

std::vector<float> fusedHeads(const AttentionTrace& t, int layer, HeadFusion fusion) {
    std::vector<float> f(size_t(t.tokens()) * size_t(t.tokens()));  // (n, n)
    fuse(t, layer, fusion, f);
    return f;
}

std::vector<float> attentionRollout(const AttentionTrace& t, HeadFusion fusion, float discard, int lastLayer) {
    const int n = t.tokens();
    const size_t nn = size_t(n) * size_t(n);
    std::vector<float> r(nn, 0.0f), next(nn), a(nn);  // each (n, n)
    for (int i = 0; i < n; ++i) r[size_t(i) * size_t(n) + size_t(i)] = 1;  // no layers: the identity
    const int layers = lastLayer < 0 ? t.layers() : std::min(t.layers(), lastLayer + 1);
    for (int l = 0; l < layers; ++l) {
        fuse(t, l, fusion, a);
        discardSmallest(a, n, int64_t(double(n) * n * std::clamp(discard, 0.0f, 1.0f)));
        // A' = (A + I) / 2, rows renormalised.
        for (int i = 0; i < n; ++i) {
            float* row = a.data() + size_t(i) * size_t(n);
            row[i] += 1.0f;
            double sum = 0;
            for (int j = 0; j < n; ++j) sum += row[j];
            const float inv = sum > 0 ? float(1.0 / sum) : 0.0f;
            for (int j = 0; j < n; ++j) row[j] *= inv;
        }
        if (l == 0) {  // R = A'_1 I: no product
            r.swap(a);
            a.assign(nn, 0.0f);
            continue;
        }
        kernels::gemmAB(n, n, n, a.data(), n, r.data(), n, next.data(), n);  // R = A' R
        r.swap(next);
    }
    return r;
}

std::vector<float> clsRolloutMap(const AttentionTrace& t, HeadFusion fusion, float discard) {
    if (t.tokens() < 2) return {};  // [CLS] alone: no patches (config checks refuse such models)
    const std::vector<float> r = attentionRollout(t, fusion, discard);
    std::vector<float> map(r.begin() + 1, r.begin() + t.tokens());  // row 0, columns 1..n-1
    const float mx = *std::max_element(map.begin(), map.end());
    if (mx > 0)
        for (float& v : map) v /= mx;
    return map;
}

std::vector<uint8_t> dinoMask(const AttentionTrace& t, int layer, int head, float keep) {
    const int n = t.tokens(), P = n - 1;
    if (P < 1) return {};
    const HeadMatrices matrices = t.head(layer, head);
    const float* cls = matrices.probs() + 1;  // row 0, patches
    double total = 0;
    for (int j = 0; j < P; ++j) total += cls[j];
    std::vector<int> order(static_cast<size_t>(P));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cls[a] > cls[b]; });
    std::vector<uint8_t> mask(static_cast<size_t>(P), 0);
    double mass = 0;
    for (int k = 0; k < P && mass < keep * total; ++k) {  // keep patches until they hold the fraction
        mask[size_t(order[size_t(k)])] = 1;
        mass += cls[order[size_t(k)]];
    }
    return mask;
}

}  // namespace attnscope::core
