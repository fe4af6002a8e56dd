// The layer-level entry points of packed_gemm.h: a layer's product packed or through linear(), with
// its activation or residual, on rows at a stride.
#include "kernels/packed_gemm.h"

#include "kernels/spread_rows.h"

#include <algorithm>
#include <vector>

namespace attnscope::core::kernels {

int64_t inputStride(int k) { return packingEnabled() && inputRowsCollide(k) ? spreadStride(k) : k; }

namespace {

// rows (n, width) with strides: to's rows ldTo apart = from's rows ldFrom apart.
void copyRows(const float* from, int64_t ldFrom, int n, int width, float* to, int64_t ldTo) {
    for (int i = 0; i < n; ++i) std::copy_n(from + int64_t(i) * ldFrom, width, to + int64_t(i) * ldTo);
}

// The unpacked path: y (n, out), rows ldy apart, = act(x . W + b) (act when given), through a dense
// copy when ldy is not out.
void unpackedInto(const Linear& layer, const Activation* act, const float* x, int n, float* y, int64_t ldy) {
    std::vector<float> dense;  // (n, out) when y's rows are not
    float* to = y;
    if (ldy != layer.out) {
        dense.resize(size_t(n) * size_t(layer.out));
        to = dense.data();
    }
    linear(layer, x, n, to);
    if (act) activate(*act, to, int64_t(n) * layer.out);
    if (to != y) copyRows(to, layer.out, n, layer.out, y, ldy);
}

}  // namespace

void linearActivated(const Linear& layer, Activation act, const float* x, int n, float* y, int64_t ldy) {
    if (layer.packed && packingEnabled()) {
        const PackedOutput out{y, ldy};
        return packedProduct(*layer.packed, layer.packedK0, layer.in, x, layer.in, n, &out, &act, layer.b != nullptr);
    }
    unpackedInto(layer, &act, x, n, y, ldy);
}

void linearResidual(const Linear& layer, const float* x, int64_t ldx, int n, float* y, float* residual) {
    if (layer.packed && packingEnabled()) {
        const PackedOutput out{y, layer.out, residual};
        return packedProduct(*layer.packed, layer.packedK0, layer.in, x, ldx, n, &out, nullptr, layer.b != nullptr);
    }
    std::vector<float> dense;  // (n, in) when x's rows are not
    if (ldx != layer.in) {
        dense.resize(size_t(n) * size_t(layer.in));
        copyRows(x, ldx, n, layer.in, dense.data(), layer.in);
        x = dense.data();
    }
    linear(layer, x, n, y);
    if (residual) addInPlace(residual, y, int64_t(n) * layer.out);
}

void linearFused(const std::vector<const Linear*>& layers, const PackedLinear* fused, const float* x, int n, float* const* ys,
                 int64_t ldy) {
    if (fused && packingEnabled() && !layers.empty()) {
        std::vector<PackedOutput> outs;
        for (size_t s = 0; s < layers.size(); ++s) outs.push_back({ys[s], ldy > 0 ? ldy : layers[s]->out});
        return packedProduct(*fused, 0, layers.front()->in, x, layers.front()->in, n, outs.data());
    }
    for (size_t s = 0; s < layers.size(); ++s) unpackedInto(*layers[s], nullptr, x, n, ys[s], ldy > 0 ? ldy : layers[s]->out);
}

}  // namespace attnscope::core::kernels
