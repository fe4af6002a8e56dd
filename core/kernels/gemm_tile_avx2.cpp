// The portable micro-kernel for AVX2 + FMA machines: a 32-column panel as two halves, each up to 6
// rows x 16 columns in 12 registers of the 16. Compiled with -mavx2 -mfma -mf16c -mno-avx512f
// (core/CMakeLists.txt), so it is the code an AVX2 machine runs even when built on an AVX-512 one.
#include "kernels/gemm_tile.h"

#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)

#include <immintrin.h>

#include <algorithm>

namespace attnscope::core::kernels {
namespace {

struct Bf16 { uint16_t bits; };
struct Half { uint16_t bits; };

inline __m256 load8(const float* p) { return _mm256_load_ps(p); }
inline __m256 load8(const Bf16* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}
inline __m256 load8(const Half* p) { return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(p))); }

inline __m256 splat(float v) { return _mm256_set1_ps(v); }

// p(x2), coefficients highest power first (Eigen's chain of multiply-adds).
template <int N>
inline __m256 polynomial(__m256 x2, const float (&c)[N]) {
    __m256 p = _mm256_fmadd_ps(x2, splat(c[0]), splat(c[1]));
    for (int i = 2; i < N; ++i) p = _mm256_fmadd_ps(x2, p, splat(c[i]));
    return p;
}

// Eigen's rational erf and tanh (gemm_tile.h).
inline __m256 erf8(__m256 v) {
    const __m256 x = _mm256_max_ps(_mm256_min_ps(v, splat(kErfClamp)), splat(-kErfClamp));
    const __m256 x2 = _mm256_mul_ps(x, x);
    return _mm256_div_ps(_mm256_mul_ps(x, polynomial(x2, kErfNumerator)), polynomial(x2, kErfDenominator));
}
inline __m256 tanh8(__m256 v) {
    const __m256 x = _mm256_max_ps(_mm256_min_ps(v, splat(kTanhClamp)), splat(-kTanhClamp));
    const __m256 tiny = _mm256_cmp_ps(_mm256_andnot_ps(splat(-0.0f), v), splat(kTanhTiny), _CMP_LT_OQ);
    const __m256 x2 = _mm256_mul_ps(x, x);
    const __m256 r = _mm256_div_ps(_mm256_mul_ps(x, polynomial(x2, kTanhNumerator)), polynomial(x2, kTanhDenominator));
    return _mm256_blendv_ps(r, x, tiny);
}

// kernels::activate's formulas, on 8 values.
inline __m256 activated(__m256 v, TileActivation act) {
    switch (act) {
        case TileActivation::GeluErf:  // 0.5 x (1 + erf(x / sqrt 2))
            return _mm256_mul_ps(_mm256_mul_ps(splat(0.5f), v), _mm256_add_ps(splat(1.0f), erf8(_mm256_mul_ps(v, splat(0.70710678118654752f)))));
        case TileActivation::GeluTanh: {  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
            const __m256 cube = _mm256_mul_ps(_mm256_mul_ps(v, v), v);
            const __m256 inner = _mm256_mul_ps(splat(0.7978845608028654f), _mm256_add_ps(v, _mm256_mul_ps(splat(0.044715f), cube)));
            return _mm256_mul_ps(_mm256_mul_ps(splat(0.5f), v), _mm256_add_ps(splat(1.0f), tanh8(inner)));
        }
        case TileActivation::Relu:
            return _mm256_max_ps(v, _mm256_setzero_ps());
        case TileActivation::None:
            break;
    }
    return v;
}

inline __m256i lanes(int count) {
    const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), index);
}

// Columns [h, h + 16) of the panel (h = 0 or 16): c (M, width) = a (M, k) . b (k, 16) + bias.
template <int M, class W>
void half(const TileArgs& t, int h) {
    __m256 c0[M], c1[M];
#pragma GCC unroll 12
    for (int r = 0; r < M; ++r) c0[r] = c1[r] = _mm256_setzero_ps();
    const W* b = static_cast<const W*>(t.b) + h;
    const float* a = t.a;
    const int64_t lda = t.lda;
    const int K = t.k;
    // Lines of the next block (gemm_tile.h), shared between the two halves: one a step.
    const int nextFirst = h ? t.nextLines / 2 : 0, nextSteps = std::min(K, h ? t.nextLines - t.nextLines / 2 : t.nextLines / 2);
    for (int k = 0; k < K; ++k) {
        if (k < nextSteps) _mm_prefetch(t.next + (int64_t(nextFirst + k) << 6), _MM_HINT_T1);
        const __m256 b0 = load8(b + int64_t(k) * kPanelWidth), b1 = load8(b + int64_t(k) * kPanelWidth + 8);
#pragma GCC unroll 12
        for (int r = 0; r < M; ++r) {
            const __m256 x = _mm256_broadcast_ss(a + r * lda + k);
            c0[r] = _mm256_fmadd_ps(x, b0, c0[r]);
            c1[r] = _mm256_fmadd_ps(x, b1, c1[r]);
        }
    }
    const __m256 bias0 = t.bias ? _mm256_loadu_ps(t.bias + h) : _mm256_setzero_ps();
    const __m256 bias1 = t.bias ? _mm256_loadu_ps(t.bias + h + 8) : _mm256_setzero_ps();
    const int width = t.width - h;
    const __m256i m0 = lanes(width), m1 = lanes(width - 8);
ATTNSCOPE_UNROLL_STORES
    for (int r = 0; r < M; ++r) {
        float* c = t.c + r * t.ldc + h;
        const __m256 add0 = t.accumulate ? _mm256_maskload_ps(c, m0) : bias0;
        const __m256 add1 = t.accumulate ? _mm256_maskload_ps(c + 8, m1) : bias1;
        const __m256 y0 = activated(_mm256_add_ps(c0[r], add0), t.activation);
        const __m256 y1 = activated(_mm256_add_ps(c1[r], add1), t.activation);
        _mm256_maskstore_ps(c, m0, y0);
        _mm256_maskstore_ps(c + 8, m1, y1);
        if (t.residual) {  // x + y, as addInPlace adds
            float* x = t.residual + r * t.ldc + h;
            _mm256_maskstore_ps(x, m0, _mm256_add_ps(_mm256_maskload_ps(x, m0), y0));
            _mm256_maskstore_ps(x + 8, m1, _mm256_add_ps(_mm256_maskload_ps(x + 8, m1), y1));
        }
    }
}

template <int M, class W>
void tile(const TileArgs& t) {
    half<M, W>(t, 0);
    if (t.width > 16) half<M, W>(t, 16);
}

template <class W>
void tileRows(const TileArgs& t) {
    switch (t.m) {
        case 1: return tile<1, W>(t);
        case 2: return tile<2, W>(t);
        case 3: return tile<3, W>(t);
        case 4: return tile<4, W>(t);
        case 5: return tile<5, W>(t);
        default: return tile<6, W>(t);
    }
}

const TileKernels kAvx2{"avx2", 6, 6, tileRows<float>, tileRows<Bf16>, tileRows<Half>};

}  // namespace

const TileKernels* avx2TileKernels() { return &kAvx2; }

}  // namespace attnscope::core::kernels

#else

namespace attnscope::core::kernels {
const TileKernels* avx2TileKernels() { return nullptr; }
}  // namespace attnscope::core::kernels

#endif
