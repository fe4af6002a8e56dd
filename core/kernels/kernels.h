#pragma once

#include <cstdint>
#include <functional>
#include <memory>

// Tiny kernels of the forward pass. All matrices are row-major float32; n = tokens.
namespace attnscope::core::kernels {

// How a layer's weights are stored: float32, or 16-bit (bfloat16, IEEE half) widened to float32
// inside the kernels, so a 16-bit checkpoint is computed in float32 without a float32 copy.
enum class WeightType : uint8_t { F32, BF16, F16 };

class PackedLinear;

// A dense layer's weights as stored in the checkpoint, used in place.
struct Linear {
    const float* w = nullptr;  // nn.Linear: (out, in); Conv1D (GPT-2): (in, ldw) sliced to out columns
    const float* b = nullptr;  // (out) or null
    int in = 0;
    int out = 0;
    int ldw = 0;              // row stride of w in elements
    bool inByOut = false;     // true for Conv1D storage (y = x W + b), false for nn.Linear (y = x W^T + b)
    WeightType type = WeightType::F32;
    const uint16_t* w16 = nullptr;  // the same layout as w, when type is BF16 or F16 (w is then null)
    // The same weights packed for the micro-kernels (packed_linear.h), when packed at load; the
    // layer's inputs are the packed inputs [packedK0, packedK0 + in) (inputSlice).
    std::shared_ptr<const PackedLinear> packed;
    int packedK0 = 0;

    bool hasWeights() const { return w != nullptr || w16 != nullptr; }
};

// Row r of the stored matrix (nn.Linear: output r's weights, `in` of them; an embedding table
// stored as (rows, in) is a Linear with out = rows) as float32: out (in).
void weightRow(const Linear& layer, int r, float* out);
// The layer restricted to inputs [first, first + count): y = x[first..] W|_rows, without the bias.
Linear inputSlice(const Linear& layer, int first, int count);

// Whether this build has AVX-512 everywhere (the default -march=native build on an AVX-512
// machine): the few-rows kernel for the layers left unpacked (LM heads) and Eigen's vectorised
// element-wise code. The packed products (packed_gemm.h) do not depend on it: they pick their
// micro-kernels at run time, AVX2 machines included.
#if defined(__AVX512F__)
constexpr bool kOwnKernels = true;
#else
constexpr bool kOwnKernels = false;
#endif

// y (n, out) = x (n, in) . W + b: through its packed panels when the layer is packed (packed_gemm.h),
// else the few-rows kernel or sgemm on the stored weights.
void linear(const Linear& layer, const float* x, int n, float* y);

// x (n, d) += y (n, d)
void addInPlace(float* x, const float* y, int64_t count);
// to (count) = from (count), large arrays split among the cores (each copies the rows the row-wise
// kernels gave it, still in its cache, while the other is not left waiting).
void copyValues(const float* from, int64_t count, float* to);

// out (n, d) = LayerNorm(x) * gamma + beta, per row; out may equal x.
void layerNorm(const float* x, int n, int d, const float* gamma, const float* beta, float eps, float* out);

enum class Activation { GeluErf, GeluTanh, Relu, Silu };
// In place over count elements.
void activate(Activation act, float* x, int64_t count);
// gate (count) = act(gate) * up (count), element by element (a gated MLP: SiLU(x W_gate) * x W_up),
// the values shared among the cores; each value as activate() gives it, times up.
void gatedActivate(Activation act, float* gate, const float* up, int64_t count);

// One head's attention from its raw scores.
// raw (n, n) = q.k; scores (n, n) = raw / sqrt(dHead), -inf where masked (j > i when causal);
// probs (n, n) = softmax over each row. scores may be null (not kept).
void scaledMaskedSoftmax(const float* raw, int n, float sqrtDHead, bool causal, float* scores,
                         float* probs);

// The rotary decoders' variant: probs (n, n) = softmax over each row of raw * scale, with key j
// masked (-inf in scores, 0 in probs) when j > i (causal) or j <= i - window (window > 0).
void windowedSoftmax(const float* raw, int n, float scale, bool causal, int window, float* scores, float* probs);

// out (n, d) = x / sqrt(mean(x^2) + eps) * w per row (Gemma: * (1 + w)); out may equal x.
void rmsNorm(const float* x, int n, int d, const float* w, float eps, bool onePlusWeight, float* out);

// Softmax of a vector in place (predictions); returns nothing, sums to 1.
void softmax(float* x, int64_t count);

// C (m, n) = alpha * A (m, k) . B^T (B is (n, k)) with leading dimensions (sgemm wrapper).
void gemmABt(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc);
// C (m, n) = A (m, k) . B (k, n)
void gemmAB(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc);

// The same two products computed on the calling thread only (Eigen), for work already split among
// threads (attention heads on parallelFor).
void gemmABtHere(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc);
void gemmABHere(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc);

// Keeps freed work buffers mapped for reuse: glibc otherwise gives every block over 128 KiB its own
// mmap and returns it on free, so each forward pass page-faults its fresh activations and scratch
// buffers in again (about 1000 faults per vit-base forward, 20 ms on this VM). Call once at start.
void keepFreedMemoryMapped();

// fn(first, end) over rows [0, n), split among the cores when the pass is large enough to repay
// waking a helper (32 Ki values a core; a serial layer norm left the other core idle: 2% of a
// vit-base forward).
void forRows(int n, int64_t valuesPerRow, const std::function<void(int first, int end)>& fn);

// BLAS threads (0 = all cores).
void setThreads(int threads);
int threads();

}  // namespace attnscope::core::kernels
