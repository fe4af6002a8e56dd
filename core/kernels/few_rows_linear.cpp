#include "kernels/few_rows_linear.h"

#include "kernels/parallel_for.h"

// AVX-512 only: without it linear() leaves every product to BLAS (kernels::kOwnKernels).
#if defined(__AVX512F__)

#include "io/half_float.h"

#include <algorithm>
#include <cstring>
#include <immintrin.h>

namespace attnscope::core::kernels {
namespace {

// 16 floats, one AVX-512 register (GCC vector type: lanes indexable, shuffles portable).
typedef float Vec __attribute__((vector_size(64)));
constexpr int kLanes = 16;
typedef int Index __attribute__((vector_size(64)));

// Lane i of the result is lane idx[i] of the 32 lanes of (a, b): vpermt2ps, in GCC and Clang alike.
inline Vec shuffle2(Vec a, Vec b, Index idx) {
    return reinterpret_cast<Vec>(_mm512_permutex2var_ps(reinterpret_cast<__m512>(a), reinterpret_cast<__m512i>(idx), reinterpret_cast<__m512>(b)));
}

// a (16 vectors) -> one vector whose lane l is the sum of a[l]'s 16 lanes: four rounds of pairwise
// shuffles and adds instead of 256 scalar additions. Each round halves the lanes an accumulator
// occupies; the pairing (j with j + 8, then + 4, + 2, + 1) leaves lane l holding a[l].
// Not inlined: its shuffle masks would otherwise stay in registers the FMA loop needs.
__attribute__((noinline)) Vec sum16(const Vec (&a)[16]) {
    // Round 1: lanes 0-7 of the result hold a[j]'s halves added, lanes 8-15 a[j + 8]'s.
    const Index lo1 = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
    const Index hi1 = {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31};
    const Index lo2 = {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27};
    const Index hi2 = {4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31};
    const Index lo3 = {0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29};
    const Index hi3 = {2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31};
    const Index lo4 = {0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30};
    const Index hi4 = {1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31};
    Vec b[8], c[4], d[2];
    for (int j = 0; j < 8; ++j) b[j] = shuffle2(a[j], a[j + 8], lo1) + shuffle2(a[j], a[j + 8], hi1);
    for (int j = 0; j < 4; ++j) c[j] = shuffle2(b[j], b[j + 4], lo2) + shuffle2(b[j], b[j + 4], hi2);
    for (int j = 0; j < 2; ++j) d[j] = shuffle2(c[j], c[j + 2], lo3) + shuffle2(c[j], c[j + 2], hi3);
    return shuffle2(d[0], d[1], lo4) + shuffle2(d[0], d[1], hi4);
}

// Weight elements as stored: float32, bfloat16 or IEEE half, widened to 16 float lanes on load
// (a shift or vcvtph2ps: the FMA loop stays the same, and 16-bit weights halve the bytes streamed).
struct Bf16 { uint16_t bits; };
struct Half { uint16_t bits; };

inline __m512 load16(const float* p) { return _mm512_loadu_ps(p); }
inline __m512 load16(const Bf16* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
}
inline __m512 load16(const Half* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
inline float toFloat(float v) { return v; }
inline float toFloat(Bf16 v) { return bf16ToFloat(v.bits); }
inline float toFloat(Half v) { return halfToFloat(v.bits); }

template <class W>
inline void prefetchRows(const W* rows, size_t stride, int k) {
    for (int j = 0; j < 4; ++j) __builtin_prefetch(rows + size_t(j) * stride + size_t(k), 0, 2);
}

// acc[j * 4 + r] = lanes of w[j][k0..k1) * x[r][k0..k1), k1 - k0 a multiple of 16: 16 accumulators,
// 4 weight and 1 input vector in registers (8 loads per 16 FMAs; GCC's memory operands made it 20
// and the kernel load-bound: 26 -> 18 ms for bert-base at 16 tokens). Meanwhile the 4 rows at next
// (nextStride apart) are fetched into L2, a cache line of each per step: DRAM latency would
// otherwise stall every new block.
template <class W>
__attribute__((noinline)) void dotBlock(const W* const (&w)[4], const float* const (&x)[4], int k0, int k1,
                                        Vec (&acc)[16], const W* next, size_t nextStride) {
    __m512 a[4][4];  // a[j][r]: weight row j, input row r
    for (auto& row : a)
        for (__m512& v : row) v = _mm512_setzero_ps();
    for (int k = k0; k < k1; k += kLanes) {
        if (next) prefetchRows(next, nextStride, k);
        __m512 w0 = load16(w[0] + k), w1 = load16(w[1] + k), w2 = load16(w[2] + k), w3 = load16(w[3] + k);
        asm("" : "+v"(w0), "+v"(w1), "+v"(w2), "+v"(w3));  // keep them in registers, loaded once
        for (int r = 0; r < 4; ++r) {
            __m512 xv = _mm512_loadu_ps(x[r] + k);
            asm("" : "+v"(xv));
            a[0][r] = _mm512_fmadd_ps(w0, xv, a[0][r]);
            a[1][r] = _mm512_fmadd_ps(w1, xv, a[1][r]);
            a[2][r] = _mm512_fmadd_ps(w2, xv, a[2][r]);
            a[3][r] = _mm512_fmadd_ps(w3, xv, a[3][r]);
        }
    }
    for (int j = 0; j < 4; ++j)
        for (int r = 0; r < 4; ++r) std::memcpy(&acc[j * 4 + r], &a[j][r], sizeof(Vec));
}

// nn.Linear, W (out, in): y[i][o] = x[i] . W[o] + b[o] for columns [o0, o1). Blocks of 4 weight
// rows (read from memory once, then from L1) times every block of 4 input rows.
template <class W>
void rowsDotWeights(const Linear& L, const W* weights, const float* x, int n, float* y, int o0, int o1) {
    constexpr int kW = 4, kX = 4;
    const int in = L.in, vecEnd = in / kLanes * kLanes;
    const size_t ldw = size_t(L.ldw), ldy = size_t(L.out);
    for (int o = o0; o < o1; o += kW) {
        const int wCount = std::min(kW, o1 - o);
        const W* w[kW] = {};  // rows past o1 repeat the last one; their sums are dropped
        for (int j = 0; j < kW; ++j) w[j] = weights + size_t(o + std::min(j, wCount - 1)) * ldw;
        const W* ahead = o + 3 * kW <= o1 ? weights + size_t(o + 2 * kW) * ldw : nullptr;  // two blocks on
        for (int i = 0; i < n; i += kX) {
            const int xCount = std::min(kX, n - i);
            const float* xr[kX] = {};
            for (int r = 0; r < kX; ++r) xr[r] = x + size_t(i + std::min(r, xCount - 1)) * size_t(in);
            Vec acc[kW * kX];  // acc[j * kX + r]: weight row o + j, input row i + r
            dotBlock(w, xr, 0, vecEnd, acc, ahead, ldw);
            const Vec sums = sum16(acc);
            for (int j = 0; j < wCount; ++j)
                for (int r = 0; r < xCount; ++r) {
                    float s = sums[j * kX + r];
                    for (int k = vecEnd; k < in; ++k) s += toFloat(w[j][k]) * xr[r][k];  // in % 16 leftovers
                    y[size_t(i + r) * ldy + size_t(o + j)] = s + (L.b ? L.b[o + j] : 0.0f);
                }
        }
    }
}

// acc[r * 4 + j] = sum over k of x[r][k] * lanes w[k][16j .. 16j + 16), w (in, ldw) from the block's
// first column: 16 accumulators, 4 weight vectors and 1 broadcast input in registers. The weight
// rows 16 ahead are fetched into L2 when prefetch is set (the first pass over this block).
template <class W>
__attribute__((noinline)) void broadcastBlock(const W* w, size_t ldw, const float* const (&x)[4], int in,
                                              Vec (&acc)[16], bool prefetch) {
    __m512 a[4][4];
    for (auto& row : a)
        for (__m512& v : row) v = _mm512_setzero_ps();
    for (int k = 0; k < in; ++k) {
        const W* wk = w + size_t(k) * ldw;
        if (prefetch)
            for (int j = 0; j < 4; ++j) __builtin_prefetch(wk + 16 * ldw + size_t(16 * j), 0, 2);
        __m512 w0 = load16(wk), w1 = load16(wk + 16), w2 = load16(wk + 32), w3 = load16(wk + 48);
        asm("" : "+v"(w0), "+v"(w1), "+v"(w2), "+v"(w3));  // keep them in registers, loaded once
        for (int r = 0; r < 4; ++r) {
            __m512 xs = _mm512_set1_ps(x[r][k]);
            asm("" : "+v"(xs));
            a[r][0] = _mm512_fmadd_ps(xs, w0, a[r][0]);
            a[r][1] = _mm512_fmadd_ps(xs, w1, a[r][1]);
            a[r][2] = _mm512_fmadd_ps(xs, w2, a[r][2]);
            a[r][3] = _mm512_fmadd_ps(xs, w3, a[r][3]);
        }
    }
    for (int r = 0; r < 4; ++r)
        for (int j = 0; j < 4; ++j) std::memcpy(&acc[r * 4 + j], &a[r][j], sizeof(Vec));
}

// Conv1D, W (in, ldw): y[i][o..o+64) = x[i] . W[:, o..o+64) + b, for columns [o0, o1), multiples
// of 64. Blocks of 64 columns (read from memory once, then from L2) times every block of 4 rows.
template <class W>
void rowsTimesWeights(const Linear& L, const W* weights, const float* x, int n, float* y, int o0, int o1) {
    constexpr int kCols = 4 * kLanes, kX = 4;
    const size_t ldy = size_t(L.out);
    for (int o = o0; o < o1; o += kCols) {
        for (int i = 0; i < n; i += kX) {
            const int xCount = std::min(kX, n - i);
            const float* xr[kX] = {};
            for (int r = 0; r < kX; ++r) xr[r] = x + size_t(i + std::min(r, xCount - 1)) * size_t(L.in);
            Vec acc[kX * 4];  // acc[r * 4 + j]: input row i + r, columns o + 16j ..
            broadcastBlock(weights + size_t(o), size_t(L.ldw), xr, L.in, acc, i == 0);
            for (int r = 0; r < xCount; ++r) {
                float* out = y + size_t(i + r) * ldy + size_t(o);
                for (int c = 0; c < kCols; ++c) out[c] = acc[r * 4 + c / kLanes][c % kLanes] + (L.b ? L.b[o + c] : 0.0f);
            }
        }
    }
}

template <class W>
void columns(const Linear& L, const W* weights, const float* x, int n, float* y, int o0, int o1) {
    if (L.inByOut)
        rowsTimesWeights(L, weights, x, n, y, o0, o1);
    else
        rowsDotWeights(L, weights, x, n, y, o0, o1);
}

}  // namespace

bool fewRowsSupports(const Linear& layer) { return !layer.inByOut || layer.out % 64 == 0; }

void fewRowsLinear(const Linear& layer, const float* x, int n, float* y) {
    // Output columns in equal parts (multiples of 64), one per BLAS thread; small layers in one.
    const int parts = std::max(1, std::min(threads(), layer.out / 64));
    const int step = (layer.out / parts + 63) / 64 * 64;
    parallelFor(parts, [&](int p) {
        const int o0 = std::min(layer.out, p * step);
        const int o1 = p == parts - 1 ? layer.out : std::min(layer.out, (p + 1) * step);
        switch (layer.type) {
            case WeightType::F32: return columns(layer, layer.w, x, n, y, o0, o1);
            case WeightType::BF16: return columns(layer, reinterpret_cast<const Bf16*>(layer.w16), x, n, y, o0, o1);
            case WeightType::F16: return columns(layer, reinterpret_cast<const Half*>(layer.w16), x, n, y, o0, o1);
        }
    });
}

}  // namespace attnscope::core::kernels

#endif  // __AVX512F__
