#include "analysis/rollout.h"

#include <Eigen/Core>

#include <algorithm>
#include <numeric>

namespace attnscope::core {
namespace {

using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Mat fuse(const AttentionTrace& t, int layer, HeadFusion fusion) {
    const int n = t.tokens();
    Mat f(n, n);
    for (int h = 0; h < t.heads(); ++h) {
        const HeadMatrices head = t.head(layer, h);
        const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> a(head.probs(), n, n);
        const Mat ad = a.cast<double>();
        if (h == 0) f = ad;
        else if (fusion == HeadFusion::Mean) f += ad;
        else if (fusion == HeadFusion::Max) f = f.cwiseMax(ad);
        else f = f.cwiseMin(ad);
    }
    if (fusion == HeadFusion::Mean) f /= t.heads();
    return f;
}

}  // namespace

std::vector<float> attentionRollout(const AttentionTrace& t, HeadFusion fusion, float discard) {
    const int n = t.tokens();
    Mat r = Mat::Identity(n, n);
    for (int l = 0; l < t.layers(); ++l) {
        Mat f = fuse(t, l, fusion);
        const int drop = int(double(n) * n * std::clamp(discard, 0.0f, 1.0f));
        if (drop > 0) {  // zero the smallest weights, keeping the [CLS] column (column 0)
            std::vector<int> order(size_t(n) * size_t(n));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return f.data()[a] < f.data()[b]; });
            for (int k = 0; k < drop; ++k)
                if (order[size_t(k)] % n != 0) f.data()[order[size_t(k)]] = 0;
        }
        Mat a = 0.5 * f + 0.5 * Mat::Identity(n, n);
        for (int i = 0; i < n; ++i) a.row(i) /= a.row(i).sum();
        r = a * r;
    }
    std::vector<float> out(size_t(n) * size_t(n));
    for (int i = 0; i < n * n; ++i) out[size_t(i)] = float(r.data()[i]);
    return out;
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
