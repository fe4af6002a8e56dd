#pragma once

#include "kernels/kernels.h"
#include "kernels/packed_linear.h"

#include <vector>

// Products with weights packed at load (PackedLinear) on our own micro-kernels (gemm_tile.h), the
// columns of the output shared among the cores, with the bias and an activation applied as each
// tile is stored. kernels::linear() takes this way whenever a layer is packed and the path is not BLAS.
namespace attnscope::core::kernels {

enum class GemmPath { Blas, Avx2, Avx512 };

// The path in use: ATTNSCOPE_KERNELS=blas|avx2|avx512 when set and runnable, else the widest this
// CPU runs (AVX-512, then AVX2 + FMA + F16C), else BLAS.
GemmPath gemmPath();
bool gemmPathRuns(GemmPath path);  // built for and supported by this CPU
// Tests and benchmarks; false (and no change) when the path does not run here.
bool setGemmPath(GemmPath path);
const char* gemmPathName(GemmPath path);
// Whether models should pack their weights at load (the path is not BLAS).
inline bool packingEnabled() { return gemmPath() != GemmPath::Blas; }

struct PackedOutput {
    float* y = nullptr;  // (n, ldy)
    int64_t ldy = 0;
    float* residual = nullptr;  // (n, ldy) or null: += y once y is final (a residual stream)
};

// outputs[s] (n, width(s)) = x (n, k) . W_s[k0 .. k0 + k) + b_s for every segment s, then act on each
// value when given; without the biases when withBias is false (a slice of the inputs). x's rows are
// ldx apart.
void packedProduct(const PackedLinear& w, int k0, int k, const float* x, int64_t ldx, int n, const PackedOutput* outputs,
                   const Activation* act = nullptr, bool withBias = true);

// Row tiles one part of a product has multiplied for another (work_queues.h) since the program
// started: tests check that the hand-over happens and changes no value.
uint64_t tilesHandedOver();

// On the calling thread (work already split among threads, as attention heads are): c (m, n) =
// a (m, k) . B with B (k, n) given row-major as b (bIsKByN, rows ldb apart) or as its transpose
// (n, k) (a head's keys), packed into `scratch` first. Through the micro-kernels when the path packs,
// else Eigen. Exact float32 sums in k order within blocks of 1024.
// causal (a causal head, rows and keys the same tokens): as keys (!bIsKByN), a row's entries after
// its own index may be left unwritten (row tiles skip the panels wholly after them); as values
// (bIsKByN, a the probabilities), a row's inputs after its own index are taken as the zeros they are.
void productHere(const float* a, int64_t lda, int m, int k, const float* b, int64_t ldb, bool bIsKByN, int n, float* c,
                 int64_t ldc, std::vector<float>& scratch, bool causal = false);

// The row stride for a buffer of k-wide rows that a packed product will take as its input (an MLP's
// hidden layer): k, or where rows k floats apart collide in L1 (spread_rows.h) and the path packs,
// the stride of a spread copy, so the product reads the buffer as it is instead of copying it.
int64_t inputStride(int k);

// y (n, out) = act(x (n, in) . W + b), packed or through linear() and activate(); y's rows ldy apart
// (at least out; the columns past out are left as they are).
void linearActivated(const Linear& layer, Activation act, const float* x, int n, float* y, int64_t ldy);
inline void linearActivated(const Linear& layer, Activation act, const float* x, int n, float* y) {
    linearActivated(layer, act, x, n, y, layer.out);
}

// y (n, out) = x (n, in) . W + b, and residual (n, out) += y (unless null) in the same pass where
// packed (the stored y added while in registers; the same sums as linear() then addInPlace());
// x's rows ldx apart (at least in).
void linearResidual(const Linear& layer, const float* x, int64_t ldx, int n, float* y, float* residual);
inline void linearResidual(const Linear& layer, const float* x, int n, float* y, float* residual) {
    linearResidual(layer, x, layer.in, n, y, residual);
}

// ys[s] (n, layers[s].out) = x (n, in) . W_s + b_s: one product over `fused` (the layers packed
// side by side) when it is set and the path is not BLAS, else one linear() per layer. Each ys[s]'s
// rows ldy apart (at least every layer's out), or, when ldy is 0, its layer's out apart.
void linearFused(const std::vector<const Linear*>& layers, const PackedLinear* fused, const float* x, int n,
                 float* const* ys, int64_t ldy = 0);

}  // namespace attnscope::core::kernels
