// The AVX-512 micro-kernel: up to 14 rows x 32 columns in 28 registers (12 x 32 in 24 for long
// inputs), one weight row of the panel (two vectors) and one broadcast input per step. Compiled with -mavx512f (core/CMakeLists.txt).
#include "kernels/gemm_tile.h"

#if defined(__AVX512F__)

#include <immintrin.h>

#include <algorithm>

namespace attnscope::core::kernels {
namespace {

struct Bf16 { uint16_t bits; };
struct Half { uint16_t bits; };

// 16 weights widened to float32 (exactly: a shift for bfloat16, vcvtph2ps for half).
inline __m512 load16(const float* p) { return _mm512_load_ps(p); }
inline __m512 load16(const Bf16* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_load_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
}
inline __m512 load16(const Half* p) { return _mm512_cvtph_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(p))); }

inline __m512 splat(float v) { return _mm512_set1_ps(v); }

// p(x2), coefficients highest power first (Eigen's chain of multiply-adds).
template <int N>
inline __m512 polynomial(__m512 x2, const float (&c)[N]) {
    __m512 p = _mm512_fmadd_ps(x2, splat(c[0]), splat(c[1]));
    for (int i = 2; i < N; ++i) p = _mm512_fmadd_ps(x2, p, splat(c[i]));
    return p;
}

// Eigen's rational erf and tanh (gemm_tile.h).
inline __m512 erf16(__m512 v) {
    const __m512 x = _mm512_max_ps(_mm512_min_ps(v, splat(kErfClamp)), splat(-kErfClamp));
    const __m512 x2 = _mm512_mul_ps(x, x);
    return _mm512_div_ps(_mm512_mul_ps(x, polynomial(x2, kErfNumerator)), polynomial(x2, kErfDenominator));
}
inline __m512 tanh16(__m512 v) {
    const __m512 x = _mm512_max_ps(_mm512_min_ps(v, splat(kTanhClamp)), splat(-kTanhClamp));
    const __mmask16 tiny = _mm512_cmp_ps_mask(_mm512_abs_ps(v), splat(kTanhTiny), _CMP_LT_OQ);
    const __m512 x2 = _mm512_mul_ps(x, x);
    const __m512 r = _mm512_div_ps(_mm512_mul_ps(x, polynomial(x2, kTanhNumerator)), polynomial(x2, kTanhDenominator));
    return _mm512_mask_blend_ps(tiny, r, x);
}

// kernels::activate's formulas, on 16 values.
inline __m512 activated(__m512 v, TileActivation act) {
    switch (act) {
        case TileActivation::GeluErf:  // 0.5 x (1 + erf(x / sqrt 2))
            return _mm512_mul_ps(_mm512_mul_ps(splat(0.5f), v), _mm512_add_ps(splat(1.0f), erf16(_mm512_mul_ps(v, splat(0.70710678118654752f)))));
        case TileActivation::GeluTanh: {  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
            const __m512 cube = _mm512_mul_ps(_mm512_mul_ps(v, v), v);
            const __m512 inner = _mm512_mul_ps(splat(0.7978845608028654f), _mm512_add_ps(v, _mm512_mul_ps(splat(0.044715f), cube)));
            return _mm512_mul_ps(_mm512_mul_ps(splat(0.5f), v), _mm512_add_ps(splat(1.0f), tanh16(inner)));
        }
        case TileActivation::Relu:
            return _mm512_max_ps(v, _mm512_setzero_ps());
        case TileActivation::None:
            break;
    }
    return v;
}

inline __mmask16 lanes(int count) {
    return count >= 16 ? __mmask16(0xFFFF) : count <= 0 ? __mmask16(0) : __mmask16((1u << count) - 1u);
}

// c (M, width) = a (M, k) . b (k, 32) + bias: the inner loop keeps M x 2 sums in registers, so
// each panel row loaded feeds 2 M multiply-adds and each broadcast input 2.
// With t.stream, the panel rows kAhead steps on are fetched as the loop goes (a panel read from
// memory by the first tile would otherwise stall on every new cache line at a few rows).
template <int M, class W>
void tile(const TileArgs& t) {
    constexpr int kAhead = 32;
    __m512 c0[M], c1[M];
#pragma GCC unroll 14
    for (int r = 0; r < M; ++r) c0[r] = c1[r] = _mm512_setzero_ps();
    const W* b = static_cast<const W*>(t.b);
    const float* a = t.a;
    const int64_t lda = t.lda;
    const int K = t.k;
    const bool stream = t.stream;
    // Lines of the next block: spread evenly over the loop (one every `every` steps) when the share
    // is shorter than it (in a burst of one a step at its start, ViT-B/16 ran ~1% slower), else one
    // a step, or two where the share is longer than the loop.
    const int twice = t.nextLines > K ? 1 : 0;
    const int every = t.nextLines > 0 && t.nextLines < K ? K / t.nextLines : 1;
    const int nextSteps = every > 1 ? t.nextLines * every : std::min(K, t.nextLines >> twice);
    for (int k = 0, due = 0; k < K; ++k) {
        if (k < nextSteps && --due < 0) {  // every > 1: k / every is the line
            due = every - 1;
            _mm_prefetch(t.next + (int64_t(k / every) << (6 + twice)), _MM_HINT_T1);
            if (twice) _mm_prefetch(t.next + (int64_t(k) << 7) + 64, _MM_HINT_T1);
        }
        if (stream) {  // one test a step, always predicted
            const char* ahead = reinterpret_cast<const char*>(b + int64_t(k + kAhead) * kPanelWidth);
            _mm_prefetch(ahead, _MM_HINT_T0);
            if (sizeof(W) == 4) _mm_prefetch(ahead + 64, _MM_HINT_T0);
        }
        const __m512 b0 = load16(b + int64_t(k) * kPanelWidth), b1 = load16(b + int64_t(k) * kPanelWidth + 16);
#pragma GCC unroll 14
        for (int r = 0; r < M; ++r) {
            const __m512 x = _mm512_set1_ps(a[r * lda + k]);
            c0[r] = _mm512_fmadd_ps(x, b0, c0[r]);
            c1[r] = _mm512_fmadd_ps(x, b1, c1[r]);
        }
    }
    const __m512 bias0 = t.bias ? _mm512_loadu_ps(t.bias) : _mm512_setzero_ps();
    const __m512 bias1 = t.bias ? _mm512_loadu_ps(t.bias + 16) : _mm512_setzero_ps();
    const __mmask16 m0 = lanes(t.width), m1 = lanes(t.width - 16);
ATTNSCOPE_UNROLL_STORES
    for (int r = 0; r < M; ++r) {
        float* c = t.c + r * t.ldc;
        const __m512 add0 = t.accumulate ? _mm512_maskz_loadu_ps(m0, c) : bias0;
        const __m512 add1 = t.accumulate ? _mm512_maskz_loadu_ps(m1, c + 16) : bias1;
        const __m512 y0 = activated(_mm512_add_ps(c0[r], add0), t.activation);
        const __m512 y1 = activated(_mm512_add_ps(c1[r], add1), t.activation);
        _mm512_mask_storeu_ps(c, m0, y0);
        _mm512_mask_storeu_ps(c + 16, m1, y1);
        if (t.residual) {  // x + y, as addInPlace adds
            float* x = t.residual + r * t.ldc;
            _mm512_mask_storeu_ps(x, m0, _mm512_add_ps(_mm512_maskz_loadu_ps(m0, x), y0));
            _mm512_mask_storeu_ps(x + 16, m1, _mm512_add_ps(_mm512_maskz_loadu_ps(m1, x + 16), y1));
        }
    }
}

template <class W>
void tileRows(const TileArgs& t) {
    switch (t.m) {
        case 1: return tile<1, W>(t);
        case 2: return tile<2, W>(t);
        case 3: return tile<3, W>(t);
        case 4: return tile<4, W>(t);
        case 5: return tile<5, W>(t);
        case 6: return tile<6, W>(t);
        case 7: return tile<7, W>(t);
        case 8: return tile<8, W>(t);
        case 9: return tile<9, W>(t);
        case 10: return tile<10, W>(t);
        case 11: return tile<11, W>(t);
        case 12: return tile<12, W>(t);
        case 13: return tile<13, W>(t);
        default: return tile<14, W>(t);
    }
}

const TileKernels kAvx512{"avx512", 14, 12, tileRows<float>, tileRows<Bf16>, tileRows<Half>};

}  // namespace

const TileKernels* avx512TileKernels() { return &kAvx512; }

}  // namespace attnscope::core::kernels

#else

namespace attnscope::core::kernels {
const TileKernels* avx512TileKernels() { return nullptr; }
}  // namespace attnscope::core::kernels

#endif
