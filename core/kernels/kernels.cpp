#include "kernels/kernels.h"

#include "kernels/few_rows_linear.h"
#include "kernels/half_weights.h"
#include "kernels/packed_gemm.h"
#include "kernels/parallel_for.h"
#include "kernels/softmax_row.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>
#include <cblas.h>
#include <malloc.h>

#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace attnscope::core::kernels {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;

// fn(a, b) over values [0, count) in chunks of 4096 values split among the cores (forRows); a
// multiple of alignedInPlace's chunks, so values split this way get what one call gives.
template <class Fn>
void forChunks(int64_t count, const Fn& fn) {
    constexpr int64_t kValues = 4096;
    const int64_t chunks = (count + kValues - 1) / kValues;
    if (chunks > INT32_MAX) return fn(int64_t(0), count);
    forRows(int(chunks), kValues, [&](int first, int end) { fn(first * kValues, std::min(count, end * kValues)); });
}

// Eigen starts its vector loops and its sums at a row's first 64-byte-aligned value and does the
// values before it one at a time, with a scalar exp and adds in another order: a row's results
// changed in the last bit with the row's address (one SiLU output in two buffers differed on CI).
// So exp, erf, tanh and sums run where the first value is aligned: every value then gets the same
// code (by its index in the row) wherever the caller's buffer sits.
using AlignedMap = Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64>;

// A 64-byte-aligned buffer of at least `count` floats, this thread's own (reused).
float* alignedScratch(int64_t count) {
    thread_local std::vector<float> buffer;
    if (int64_t(buffer.size()) < count + 16) buffer.resize(size_t(count + 16));
    const auto address = reinterpret_cast<uintptr_t>(buffer.data());
    return buffer.data() + ((64 - address % 64) % 64) / sizeof(float);
}

// f(values) over x (count) in aligned chunks of 1024 values (copied in and back).
template <class F>
void alignedInPlace(float* x, int64_t count, const F& f) {
    constexpr int64_t kChunk = 1024;
    alignas(64) float buffer[kChunk];
    for (int64_t a = 0; a < count; a += kChunk) {
        const int64_t length = std::min(kChunk, count - a);
        std::copy_n(x + a, length, buffer);
        AlignedMap values(buffer, length);
        f(values);
        std::copy_n(buffer, length, x + a);
    }
}

// probs (count) = exp(shifted) / their sum, the exps and the sum taken in an aligned copy.
template <class Shifted>
void normalisedExp(const Shifted& shifted, int64_t count, float* probs) {
    AlignedMap e(alignedScratch(count), count);
    e = shifted.exp();
    Eigen::Map<Eigen::ArrayXf>(probs, count) = e / e.sum();
}

// probs (count) = softmax of raw / factor (divide) or raw * factor; scores (count), unless null, the
// scaled raw.
void attentionRow(const float* raw, int count, float factor, bool divide, float* scores, float* probs) {
    if (fusedSoftmaxRow()) return softmaxRow(raw, count, factor, divide, scores, probs);
    const Eigen::Map<const Eigen::ArrayXf> r(raw, count);
    // The largest scaled score is the largest raw one scaled (rounding keeps order): one pass
    // fewer, the same values.
    const float mx = divide ? r.maxCoeff() / factor : r.maxCoeff() * factor;
    if (scores) {
        Eigen::Map<Eigen::ArrayXf> s(scores, count);
        if (divide) s = r / factor;
        else s = r * factor;
        normalisedExp(s - mx, count, probs);
    } else if (divide) {
        normalisedExp(r / factor - mx, count, probs);
    } else {
        normalisedExp(r * factor - mx, count, probs);
    }
}

// probs (n, n) = softmax of each row's visible keys [first, end) (end = i + 1 when causal, first =
// i - window + 1 when window > 0) of raw / factor (divide) or raw * factor, 0 elsewhere; scores
// (n, n), unless null, the scaled raw, -inf elsewhere.
void maskedRows(const float* raw, int n, float factor, bool divide, bool causal, int window, float* scores, float* probs) {
    const float negInf = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < n; ++i) {
        const int end = causal ? i + 1 : n;
        const int first = window > 0 ? std::max(0, i - window + 1) : 0;
        const int64_t row = int64_t(i) * n;
        std::fill(probs + row, probs + row + first, 0.0f);
        std::fill(probs + row + end, probs + row + n, 0.0f);
        if (scores) {
            std::fill(scores + row, scores + row + first, negInf);
            std::fill(scores + row + end, scores + row + n, negInf);
        }
        attentionRow(raw + row + first, end - first, factor, divide, scores ? scores + row + first : nullptr, probs + row + first);
    }
}

}  // namespace

void gemmABt(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}

void gemmAB(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}

void gemmABtHere(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
    using Strided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;
    Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> out(c, m, n, Eigen::OuterStride<>(ldc));
    out.noalias() = Strided(a, m, k, Eigen::OuterStride<>(lda)) * Strided(b, n, k, Eigen::OuterStride<>(ldb)).transpose();
}

void gemmABHere(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
    using Strided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;
    Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> out(c, m, n, Eigen::OuterStride<>(ldc));
    out.noalias() = Strided(a, m, k, Eigen::OuterStride<>(lda)) * Strided(b, k, n, Eigen::OuterStride<>(ldb));
}

namespace {

// y (n, out) = x (n, in) . W (+ b): the sgemm call itself.
void linearRows(const Linear& layer, const float* x, int n, float* y) {
    if (layer.type != WeightType::F32) return linear16(layer, x, n, y, layer.out);
    // With a bias, y starts as the bias in every row and sgemm accumulates into it (beta = 1):
    // one pass over y instead of sgemm's beta pass plus a bias pass.
    float beta = 0.0f;
    if (layer.b) {
        Eigen::Map<RowMatrix> out(y, n, layer.out);
        out.rowwise() = Eigen::Map<const Eigen::RowVectorXf>(layer.b, layer.out);
        beta = 1.0f;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, layer.inByOut ? CblasNoTrans : CblasTrans, n, layer.out, layer.in, 1.0f, x,
                layer.in, layer.w, layer.ldw, beta, y, layer.out);
}

}  // namespace

Linear inputSlice(const Linear& layer, int first, int count) {
    Linear s = layer;
    s.b = nullptr;
    s.in = count;
    // nn.Linear (out, in): columns first.. of every row; Conv1D (in, ldw): rows first..
    const size_t offset = layer.inByOut ? size_t(first) * size_t(layer.ldw) : size_t(first);
    s.packedK0 = layer.packedK0 + first;
    if (s.w) s.w += offset;
    if (s.w16) s.w16 += offset;
    return s;
}

void linear(const Linear& layer, const float* x, int n, float* y) {
    if (layer.packed && packingEnabled()) {
        const PackedOutput out{y, layer.out};
        return packedProduct(*layer.packed, layer.packedK0, layer.in, x, layer.in, n, &out, nullptr, layer.b != nullptr);
    }
#if defined(__AVX512F__)  // kOwnKernels
    if (n <= (layer.type == WeightType::F32 ? kFewRows : kFewRows16) && fewRowsSupports(layer)) return fewRowsLinear(layer, x, n, y);
#endif
    // OpenBLAS splits the rows among its threads in blocks of 16, and a ragged last block costs
    // more than the rows it holds when it is nearly full (measured, 768 x 768, 2 threads: 29 rows
    // 0.30 ms raw, 0.25 ms padded to 32; 62 rows 0.54 / 0.51 ms) but less when it is nearly empty
    // (197 rows 1.21 ms raw, 1.23 ms as 208). So pad a short input, and a longer one when at most 6
    // rows of zeros are added.
    constexpr int kRowBlock = 16, kMaxPadding = 6;
    const int padded = (n + kRowBlock - 1) / kRowBlock * kRowBlock;
    if (padded == n || n == 1 || (n > kRowBlock && padded - n > kMaxPadding)) return linearRows(layer, x, n, y);
    thread_local std::vector<float> xs, ys;
    xs.resize(size_t(padded) * size_t(layer.in));
    ys.resize(size_t(padded) * size_t(layer.out));
    std::copy_n(x, size_t(n) * size_t(layer.in), xs.begin());
    std::fill(xs.begin() + ptrdiff_t(size_t(n) * size_t(layer.in)), xs.end(), 0.0f);  // rows of zeros
    linearRows(layer, xs.data(), padded, ys.data());
    std::copy_n(ys.begin(), size_t(n) * size_t(layer.out), y);
}

void forRows(int n, int64_t valuesPerRow, const std::function<void(int first, int end)>& fn) {
    constexpr int64_t kMinValuesPerPart = int64_t(1) << 15;
    const int64_t parts = std::min<int64_t>({int64_t(threads()), int64_t(n), int64_t(n) * valuesPerRow / kMinValuesPerPart});
    if (parts <= 1) return fn(0, n);
    parallelFor(int(parts), [&](int p) { fn(int(n * int64_t(p) / parts), int(n * int64_t(p + 1) / parts)); });
}

void addInPlace(float* x, const float* y, int64_t count) {
    forChunks(count, [&](int64_t a, int64_t b) { ArrayMap(x + a, b - a) += Eigen::Map<const Eigen::ArrayXf>(y + a, b - a); });
}

void copyValues(const float* from, int64_t count, float* to) {
    forChunks(count, [&](int64_t a, int64_t b) { std::copy(from + a, from + b, to + a); });
}

void gatedActivate(Activation act, float* gate, const float* up, int64_t count) {
    forChunks(count, [&](int64_t a, int64_t b) {
        activate(act, gate + a, b - a);
        ArrayMap(gate + a, b - a) *= Eigen::Map<const Eigen::ArrayXf>(up + a, b - a);
    });
}

void layerNorm(const float* x, int n, int d, const float* gamma, const float* beta, float eps, float* out) {
    const Eigen::Map<const Eigen::ArrayXf> g(gamma, d), b(beta, d);
    forRows(n, d, [&](int first, int end) {
        for (int i = first; i < end; ++i) {
            const Eigen::Map<const Eigen::ArrayXf> row(x + int64_t(i) * d, d);
            AlignedMap copy(alignedScratch(d), d);  // sums in an order independent of the address
            copy = row;
            const float mean = copy.mean();
            const float var = (copy - mean).square().mean();  // biased, as torch.nn.LayerNorm
            const float inv = 1.0f / std::sqrt(var + eps);
            Eigen::Map<Eigen::ArrayXf>(out + int64_t(i) * d, d) = (row - mean) * inv * g + b;
        }
    });
}

void activate(Activation act, float* x, int64_t count) {
    alignedInPlace(x, count, [act](AlignedMap& a) {
        switch (act) {
            case Activation::GeluErf:  // 0.5 x (1 + erf(x / sqrt 2))
                a = 0.5f * a * (1.0f + (a * float(M_SQRT1_2)).erf());
                break;
            case Activation::GeluTanh:  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                a = 0.5f * a * (1.0f + (0.7978845608028654f * (a + 0.044715f * a.cube())).tanh());
                break;
            case Activation::Relu:
                a = a.max(0.0f);
                break;
            case Activation::Silu:  // x sigmoid(x)
                a = a / (1.0f + (-a).exp());
                break;
        }
    });
}

void windowedSoftmax(const float* raw, int n, float scale, bool causal, int window, float* scores, float* probs) {
    maskedRows(raw, n, scale, false, causal, window, scores, probs);
}

void rmsNorm(const float* x, int n, int d, const float* w, float eps, bool onePlusWeight, float* out) {
    const Eigen::Map<const Eigen::ArrayXf> weight(w, d);
    forRows(n, d, [&](int first, int end) {
        for (int i = first; i < end; ++i) {
            const Eigen::Map<const Eigen::ArrayXf> row(x + int64_t(i) * d, d);
            Eigen::Map<Eigen::ArrayXf> o(out + int64_t(i) * d, d);
            AlignedMap copy(alignedScratch(d), d);  // a sum independent of the address
            copy = row;
            const float inv = 1.0f / std::sqrt(copy.square().mean() + eps);
            if (onePlusWeight) o = (row * inv) * (1.0f + weight);
            else o = weight * (row * inv);
        }
    });
}

void scaledMaskedSoftmax(const float* raw, int n, float sqrtDHead, bool causal, float* scores, float* probs) {
    maskedRows(raw, n, sqrtDHead, true, causal, 0, scores, probs);  // divide, as the reference implementations do
}

void softmax(float* x, int64_t count) {
    const ArrayMap a(x, count);
    normalisedExp(a - a.maxCoeff(), count, x);
}

void keepFreedMemoryMapped() {
    // Blocks up to 256 MiB come from the heap, and the heap is trimmed only beyond 1 GiB free at
    // its top; traces (hundreds of MB) recycle through FloatPool.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void setThreads(int n) {
    openblas_set_num_threads(n > 0 ? n : QThread::idealThreadCount());
}

int threads() { return openblas_get_num_threads(); }

}  // namespace attnscope::core::kernels
