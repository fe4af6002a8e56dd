#include "kernels/half_weights.h"

#include "io/half_float.h"
#include "kernels/parallel_for.h"

#include <Eigen/Core>
#include <cblas.h>

#include <algorithm>
#include <vector>

#if defined(__AVX512F__) || defined(__F16C__)
#include <immintrin.h>
#endif

namespace attnscope::core::kernels {
namespace {


void widenBf16(const uint16_t* src, float* dst, int64_t count) {
    int64_t i = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= count; i += 16) {
        const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i)));
        _mm512_storeu_ps(dst + i, _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16)));
    }
#endif
    for (; i < count; ++i) dst[i] = bf16ToFloat(src[i]);
}

void widenF16(const uint16_t* src, float* dst, int64_t count) {
    int64_t i = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= count; i += 16)
        _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i))));
#elif defined(__F16C__)
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i))));
#endif
    for (; i < count; ++i) dst[i] = halfToFloat(src[i]);
}

}  // namespace

void widen16(WeightType type, const uint16_t* src, float* dst, int64_t count) {
    if (type == WeightType::F16) widenF16(src, dst, count);
    else widenBf16(src, dst, count);
}

void weightRow(const Linear& layer, int r, float* out) {
    const size_t start = size_t(r) * size_t(layer.ldw);
    if (layer.type == WeightType::F32) std::copy_n(layer.w + start, layer.in, out);
    else widen16(layer.type, layer.w16 + start, out, layer.in);
}

void linear16(const Linear& layer, const float* x, int n, float* y, int ldy, int64_t blockFloats) {
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    // A block is `cols` output columns: nn.Linear stores them as rows of W (cols, in), Conv1D as a
    // column slice of every row of W (in, cols).
    const int cols = int(std::clamp<int64_t>(blockFloats / std::max(layer.in, 1) / 16 * 16, 16, layer.out));
    thread_local std::vector<float> scratchBuffer;  // (cols, in) or (in, cols)
    scratchBuffer.resize(size_t(cols) * size_t(layer.in));
    float* scratch = scratchBuffer.data();  // this thread's, shared with the helpers below
    const int parts = std::max(1, threads());
    for (int o = 0; o < layer.out; o += cols) {
        const int count = std::min(cols, layer.out - o);
        // Widen the block on every core: each takes a share of the stored rows.
        const int rows = layer.inByOut ? layer.in : count, each = (rows + parts - 1) / parts;
        parallelFor(std::min(parts, rows), [&](int p) {
            const int r0 = p * each, r1 = std::min(rows, r0 + each);
            for (int r = r0; r < r1; ++r) {
                const size_t from = layer.inByOut ? size_t(r) * size_t(layer.ldw) + size_t(o) : size_t(o + r) * size_t(layer.ldw);
                const int length = layer.inByOut ? count : layer.in;
                widen16(layer.type, layer.w16 + from, scratch + size_t(r) * size_t(length), length);
            }
        });
        float beta = 0.0f;  // with a bias, y starts as the bias and sgemm accumulates into it
        if (layer.b) {
            Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> out(y + o, n, count, Eigen::OuterStride<>(ldy));
            out.rowwise() = Eigen::Map<const Eigen::RowVectorXf>(layer.b + o, count);
            beta = 1.0f;
        }
        if (layer.inByOut)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, count, layer.in, 1.0f, x, layer.in, scratch, count, beta,
                        y + o, ldy);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, count, layer.in, 1.0f, x, layer.in, scratch, layer.in, beta,
                        y + o, ldy);
    }
}

}  // namespace attnscope::core::kernels
